package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.slipway.router.RouterFixture.HTTP;
import static dev.slipway.router.RouterFixture.backend;
import static dev.slipway.router.RouterFixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RouterMain as the control plane runs it: a process, its files, restarts, signals, a small heap. */
class RouterProcessIT {
    private static final List<String> FLAGS = List.of("-Xms32m", "-Xmx32m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
    private Path dir;
    private Path stateDir;
    private Path tokenFile;
    private final List<Process> processes = new ArrayList<>();
    private TestBackend be;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("slipway-router-process");
        stateDir = dir.resolve("state");
        tokenFile = Files.writeString(dir.resolve("token"), "t0ken\n");
        be = TestBackend.start("be");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        be.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private record Running(Process process, int adminPort, long startedNanos) {
    }

    private Running startRouter(List<String> flags) throws Exception {
        Files.deleteIfExists(stateDir.resolve("router.json"));
        long t0 = System.nanoTime();
        Process p = Processes.java(flags, RouterMain.class.getName(), "--state-dir", stateDir.toString(),
                        "--admin-port", "0", "--token-file", tokenFile.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("router.log").toFile()))
                .start();
        processes.add(p);
        Path info = stateDir.resolve("router.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(info)) {
            assertThat(p.isAlive()).as("router process alive; log:\n" + log()).isTrue();
            assertThat(System.nanoTime()).as("router.json within 20 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(info));
        assertThat(m).containsOnlyKeys("pid", "adminPort").containsEntry("pid", p.pid());
        return new Running(p, ((Long) m.get("adminPort")).intValue(), t0);
    }

    private String log() throws IOException {
        Path l = dir.resolve("router.log");
        return Files.exists(l) ? Files.readString(l) : "";
    }

    private HttpResponse<String> admin(Running r, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.adminPort() + path))
                .header("Authorization", "Bearer t0ken")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String routes(int listen) {
        return "{\"services\":{\"web\":{\"listen\":" + listen + ",\"backends\":[" + backend("be-1", "r1", be.port(), "active") + "]}}}";
    }

    @Test
    void aRestartedRouter_servesThePersistedRoutes_withoutTheControlPlane() throws Exception {
        Running first = startRouter(FLAGS);
        int listen = RouterFixture.freePort();
        assertThat(admin(first, "PUT", "/routes", routes(listen)).statusCode()).isEqualTo(200);
        assertThat(get(listen, "/").body()).isEqualTo("be\n");
        assertThat(Files.readString(stateDir.resolve("routes.json"))).contains("\"listen\":" + listen);

        first.process().destroyForcibly().waitFor(); // a crash: no chance to clean up
        Running second = startRouter(FLAGS);
        long ms = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                if (get(listen, "/").statusCode() == 200) {
                    ms = (System.nanoTime() - second.startedNanos()) / 1_000_000;
                    break;
                }
            } catch (ConnectException notYet) {
                Thread.sleep(5);
            }
        }
        assertThat(ms).as("serving again after a restart").isPositive();
        System.out.println("restarted router served its persisted routes " + ms + " ms after the process started");
        assertThat(admin(second, "GET", "/health", null).body()).contains("\"generation\":1");
        assertThat(log()).contains("config generation 1 applied: web on :" + listen);
    }

    @Test
    void sigterm_letsTheInFlightRequestFinish_stopsAccepting_andExitsZeroPromptly() throws Exception {
        Running r = startRouter(FLAGS);
        int listen = RouterFixture.freePort();
        admin(r, "PUT", "/routes", routes(listen));
        CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + listen + "/slow?ms=1000")).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (be.requests.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long t0 = System.nanoTime();
        r.process().destroy(); // SIGTERM
        Thread.sleep(200);
        assertThatThrownBy(() -> new Socket("127.0.0.1", listen).close()).isInstanceOf(ConnectException.class);
        assertThat(inFlight.get(5, TimeUnit.SECONDS).body()).isEqualTo("be\n");
        assertThat(r.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.process().exitValue()).isZero();
        assertThat(ms).isLessThan(3000);
        assertThat(stateDir.resolve("router.json")).doesNotExist();
        assertThat(log()).contains("router stopped");
    }

    @Test
    void fiftyMegabytes_streamUpAndDown_throughARouterWithA32MegabyteHeap() throws Exception {
        try (StreamingBackend sb = new StreamingBackend()) {
            Running r = startRouter(FLAGS); // direct memory is capped at the heap size too
            int listen = RouterFixture.freePort();
            admin(r, "PUT", "/routes", "{\"services\":{\"files\":{\"listen\":" + listen + ",\"backends\":["
                    + backend("files-1", "r1", sb.port(), "active") + "]}}}");
            long n = 50L * 1024 * 1024;
            long crc = StreamingBackend.crcOf(StreamingBackend.pattern(n));
            HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/upload"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> StreamingBackend.pattern(n))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(up.body()).isEqualTo(n + " " + crc);
            HttpResponse<InputStream> down = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + listen + "/download?bytes=" + n)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = down.body()) {
                assertThat(StreamingBackend.crcOf(in)).isEqualTo(crc);
            }
            assertThat(r.process().isAlive()).as(log()).isTrue();
        }
    }

    @Test
    void aSecondRouter_onTheSameStateDir_refusesToStart() throws Exception {
        startRouter(FLAGS);
        Process second = Processes.java(FLAGS, RouterMain.class.getName(), "--state-dir", stateDir.toString())
                .redirectErrorStream(true).start();
        processes.add(second);
        String out = new String(second.getInputStream().readAllBytes());
        assertThat(second.waitFor()).isEqualTo(1);
        assertThat(out).contains("Another router uses the state directory");
    }

    @Test
    void badUsage_exitsTwo_withTheUsage() throws Exception {
        Process p = Processes.java(List.of(), RouterMain.class.getName(), "--admin-port", "x").redirectErrorStream(true).start();
        processes.add(p);
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(out).contains("--admin-port must be a port number").contains("usage: RouterMain --state-dir DIR");
    }
}
