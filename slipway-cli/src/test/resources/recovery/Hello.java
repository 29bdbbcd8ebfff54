import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A tiny service for rollout tests: says which version it is; FAULT_ERROR_RATE makes a share of
 * answers 500; CONFIG_FILE names a file it must read at start (a missing one makes it die the way a
 * framework does: an uncaught exception with a chain of causes).
 */
public class Hello {
  public static void main(String[] args) throws Exception {
    String version = System.getenv().getOrDefault("APP_VERSION", "dev");
    System.out.println("hello " + version + " starting");
    String config = System.getenv("CONFIG_FILE");
    if (config != null) {
      try {
        loadConfiguration(java.nio.file.Path.of(config));
      } catch (java.io.UncheckedIOException e) {
        throw new IllegalStateException("Failed to start hello " + version, e);
      }
    }
    double errorRate = Double.parseDouble(System.getenv().getOrDefault("FAULT_ERROR_RATE", "0"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 128);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/health/", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.createContext("/", ex -> {
      boolean fail = ThreadLocalRandom.current().nextDouble() < errorRate;
      byte[] body = ("hello from " + version + "\n").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(fail ? 500 : 200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
    server.start();
    System.out.println("hello " + version + " listening on " + System.getenv("PORT"));
  }

  private static String loadConfiguration(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the configuration", e);
    }
  }
}
