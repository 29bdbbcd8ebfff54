package dev.slipway.router;

import dev.slipway.router.AbuseDriver.Kind;
import dev.slipway.router.AbuseDriver.Stats;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.slipway.router.RouterFixture.HTTP;
import static dev.slipway.router.RouterFixture.backend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router process with a 64 MB heap, under thousands of slow and greedy clients held for a
 * minute ({@code -Dslipway.limits.holdSeconds=N} to change): 5,000 connections trickling request
 * heads they never finish, 1,000 that stop reading a large response, 1,000 idle WebSocket tunnels,
 * and a steady client among them. The router must stay up, answer every steady request, keep its
 * memory bounded, and cut each abuser at its limit, counting each cut in /metrics.
 */
class RouterLimitsIT {
    private static final int TRICKLE = 5000;
    private static final int SLOW_READERS = 1000;
    private static final int TUNNELS = 1000;
    /**
     * Far more than the sockets hold (a client that does not read keeps its window, and so the
     * router's send buffer, small), so the router must stop reading the backend and hold the rest.
     */
    private static final long BIG = 16L << 20;
    private static final long BODY_IDLE_SECONDS = 10;
    private static final long TUNNEL_IDLE_SECONDS = 10;
    private static final long HEAD_SECONDS = 10; // the default
    private static final List<String> FLAGS = List.of("-Xms64m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:+AlwaysPreTouch",
            "-Xss512k", "-Dio.netty.leakDetection.level=disabled", "-XX:+ExitOnOutOfMemoryError");

    private Path dir;
    private Process router;
    private TestBackend be;
    private TestBackend steadyBackend;

    @BeforeEach
    void setUp() throws Exception {
        // The backends in this JVM serve thousands of connections: paranoid leak tracking (a stack trace per
        // buffer) would make them, not the router, the bottleneck. The router process runs without it anyway.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        dir = Files.createTempDirectory("slipway-router-limits");
        be = TestBackend.start("be", 2);
        // Its own backend (the router is shared): the test's one-thread backend is busy with the abusers.
        steadyBackend = TestBackend.start("steady");
    }

    @AfterEach
    void tearDown() throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        if (router != null) {
            router.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        be.close();
        steadyBackend.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void slowAndGreedyClients_areCutAtTheirLimits_whileEverySteadyRequestSucceeds_inA64MbHeap() throws Exception {
        long need = 2L * (TRICKLE + SLOW_READERS + TUNNELS) + 1000;
        long limit = openFileLimit();
        Assumptions.assumeTrue(limit >= need, "RouterLimitsIT needs " + need + " open files (this JVM holds the "
                + "abusers' sockets and the backend's); ulimit -n is " + limit + ": raise it to run this test");
        long holdSeconds = Long.getLong("slipway.limits.holdSeconds", 60);

        Path stateDir = dir.resolve("state");
        Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
        router = Processes.java(FLAGS, RouterMain.class.getName(), "--state-dir", stateDir.toString(),
                        "--admin-port", "0", "--token-file", token.toString(),
                        "--body-idle-timeout", BODY_IDLE_SECONDS + "s", "--tunnel-idle-timeout", TUNNEL_IDLE_SECONDS + "s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("router.log").toFile()).start();
        int adminPort = awaitAdminPort(stateDir);
        int listen = RouterFixture.freePort();
        int steadyListen = RouterFixture.freePort();
        HttpResponse<String> put = admin(adminPort, "PUT", "/routes", "{\"services\":{\"web\":{\"listen\":" + listen
                + ",\"backends\":[" + backend("be-1", "r1", be.port(), "active") + "]},\"steady\":{\"listen\":"
                + steadyListen + ",\"backends\":[" + backend("steady-1", "r1", steadyBackend.port(), "active") + "]}}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        AtomicInteger ok = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong slowestMs = new java.util.concurrent.atomic.AtomicLong();
        List<String> steadyFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<Boolean> steadyRunning = new AtomicReference<>(true);
        Thread steady = Thread.ofPlatform().name("steady-client").start(() -> {
            while (steadyRunning.get()) {
                long t = System.nanoTime();
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + steadyListen + "/"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    slowestMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t), Math::max);
                    if (r.statusCode() == 200 && r.body().equals("steady\n")) {
                        ok.incrementAndGet();
                    } else {
                        steadyFailures.add(r.statusCode() + " " + r.body());
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    steadyFailures.add(e.toString());
                }
            }
        });

        long maxRssKb = 0;
        long maxHeap = 0;
        long maxDirect = 0;
        long maxClients = 0;
        Map<Kind, Stats> stats;
        try (AbuseDriver driver = new AbuseDriver(new InetSocketAddress("127.0.0.1", listen), TRICKLE, SLOW_READERS,
                TUNNELS, BIG, TimeUnit.SECONDS.toMillis(2 * BODY_IDLE_SECONDS))) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdSeconds);
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                assertThat(router.isAlive()).as("router alive; its log:\n" + log()).isTrue();
                maxRssKb = Math.max(maxRssKb, rssKb(router.pid()));
                String metrics = admin(adminPort, "GET", "/metrics", null).body();
                maxHeap = Math.max(maxHeap, value(metrics, "slipway_router_memory_bytes", "{area=\"heap\"}"));
                maxDirect = Math.max(maxDirect, value(metrics, "slipway_router_memory_bytes", "{area=\"direct\"}"));
                long clients = value(metrics, "slipway_router_client_connections", "");
                maxClients = Math.max(maxClients, clients);
                System.out.printf("t=%ds clients %d (trickle %d, slow %d, tunnels %d), rss %d MB, heap %d MB, direct %d MB, steady ok %d%n",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), clients, driver.live(Kind.TRICKLE),
                        driver.live(Kind.SLOW_READER), driver.live(Kind.TUNNEL), maxRssKb / 1024, maxHeap >> 20,
                        maxDirect >> 20, ok.get());
            }
            // A slow reader opened last stalls 2 body idle times; one the router saw stall only late stalls
            // once more (AbuseDriver#stallAgain) before it reads the router's cut: 5 body idle times and slack.
            stats = driver.finish(TimeUnit.SECONDS.toMillis(5 * BODY_IDLE_SECONDS + 10));
        } finally {
            steadyRunning.set(false);
            steady.interrupt();
            steady.join(10_000);
        }
        String metrics = admin(adminPort, "GET", "/metrics", null).body();
        List<String> report = new ArrayList<>(AbuseDriver.describe(stats));
        report.add("steady requests ok " + ok.get() + " (slowest " + slowestMs.get() + " ms), failed " + steadyFailures.size()
                + (steadyFailures.isEmpty() ? "" : " " + steadyFailures.subList(0, Math.min(5, steadyFailures.size()))));
        report.add("router: max RSS " + maxRssKb / 1024 + " MB, max heap used " + (maxHeap >> 20) + " MB, max direct "
                + (maxDirect >> 20) + " MB, max client connections " + maxClients);
        for (String kind : List.of("request-head", "client-write", "tunnel-idle", "keep-alive", "client-body",
                "upstream-body", "upstream-write")) {
            report.add("timeouts_total{kind=" + kind + "} " + value(metrics, "slipway_router_timeouts_total",
                    "{kind=\"" + kind + "\"}"));
        }
        for (String reason : List.of("max-connections", "head-buffers", "write-buffers")) {
            report.add("connections_rejected_total{reason=" + reason + "} "
                    + value(metrics, "slipway_router_connections_rejected_total", "{reason=\"" + reason + "\"}"));
        }
        report.add("backend_busy_total " + value(metrics, "slipway_router_backend_busy_total", ""));
        List<String> logLines = Files.readAllLines(dir.resolve("router.log"));
        report.add("router log (last lines):\n  " + String.join("\n  ", logLines.subList(Math.max(0, logLines.size() - 15),
                logLines.size())));
        String summary = String.join("\n", report);
        System.out.println(summary);

        assertThat(router.isAlive()).as("router alive after the abuse; log:\n" + log()).isTrue();
        assertThat(steadyFailures).as(summary).isEmpty();
        assertThat(ok.get()).as(summary).isGreaterThan((int) holdSeconds);

        Stats trickle = stats.get(Kind.TRICKLE);
        Stats slow = stats.get(Kind.SLOW_READER);
        Stats tunnels = stats.get(Kind.TUNNEL);
        for (Stats s : stats.values()) {
            // A slow reader may get a complete error answer instead (a 502 when the overloaded test backend
            // fails it): that is the router answering, not a limit failing. Any other survivor is a miss.
            int answeredErrors = s == stats.get(Kind.SLOW_READER)
                    ? s.survivorStatuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum()
                    : 0;
            assertThat(s.survived - answeredErrors).as("connections the router never cut\n" + summary).isZero();
            assertThat(answeredErrors).as(summary).isLessThan(20);
            assertThat(s.wrong).as(summary).isZero();
            assertThat(s.connectFailures).as(summary).isZero();
            assertThat(s.opened).as(summary).isEqualTo(s.cut + s.survived + s.connectFailures);
        }
        assertThat(trickle.opened).as(summary).isGreaterThanOrEqualTo(TRICKLE);
        assertThat(slow.opened).as(summary).isGreaterThanOrEqualTo(SLOW_READERS);
        assertThat(tunnels.opened).as(summary).isGreaterThanOrEqualTo(TUNNELS);

        // Every trickling head was answered 408 at the head timeout, or 503 when the head buffers were full
        // (the answer may be lost to a reset: the router closes while the client still sends).
        assertThat(trickle.answers.keySet()).as(summary).isSubsetOf(408, 503);
        assertThat(value(metrics, "slipway_router_timeouts_total", "{kind=\"request-head\"}")
                + value(metrics, "slipway_router_connections_rejected_total", "{reason=\"head-buffers\"}")).as(summary)
                .isEqualTo(trickle.cut);
        assertThat(trickle.answerMinLifetimeMs.getOrDefault(408, Long.MAX_VALUE)).as(summary)
                .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toMillis(HEAD_SECONDS) - 600);

        // No upper bounds on lives here: a connection waits in the accept queue of a busy router before its
        // clock starts (RouterLimitsTimingIT checks the limits' timing closely, one connection at a time).
        // Slow readers: cut after the body idle time, or at once when the write buffers are full.
        assertThat(value(metrics, "slipway_router_timeouts_total", "{kind=\"client-write\"}")
                + value(metrics, "slipway_router_connections_rejected_total", "{reason=\"write-buffers\"}")).as(summary)
                .isEqualTo(slow.cut);

        assertThat(tunnels.minLifetimeMs).as(summary).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toMillis(TUNNEL_IDLE_SECONDS) - 600);
        assertThat(value(metrics, "slipway_router_timeouts_total", "{kind=\"tunnel-idle\"}")).as(summary)
                .isEqualTo(tunnels.cut);

        // Bounded: the 64 MB heap held (the process would have exited on an OutOfMemoryError), direct
        // buffers stayed well under their 64 MB ceiling, and the process as a whole stayed small.
        assertThat(maxDirect).as(summary).isLessThan(48L << 20);
        assertThat(maxRssKb).as(summary).isLessThan(400 * 1024);
    }

    private int awaitAdminPort(Path stateDir) throws Exception {
        Path info = stateDir.resolve("router.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(info)) {
            assertThat(router.isAlive()).as("router process alive; log:\n" + log()).isTrue();
            assertThat(System.nanoTime()).as("router.json within 20 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(info));
        return ((Long) m.get("adminPort")).intValue();
    }

    private static HttpResponse<String> admin(int port, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer t0ken").timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long value(String metrics, String name, String labels) {
        Double v = RouterFixture.parseMetric(metrics, name).get(labels);
        assertThat(v).as(name + labels + " in /metrics").isNotNull();
        return v.longValue();
    }

    private String log() throws IOException {
        Path l = dir.resolve("router.log");
        return Files.exists(l) ? Files.readString(l) : "";
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    private static long openFileLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }
}
