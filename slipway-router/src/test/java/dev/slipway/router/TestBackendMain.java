package dev.slipway.router;

/** {@link TestBackend} as its own process (for kill -9): prints "PORT n" once listening. */
public final class TestBackendMain {
    private TestBackendMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        TestBackend b = TestBackend.start(args[0]);
        System.out.println("PORT " + b.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
