package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.slipway.router.RouterFixture.HTTP;
import static dev.slipway.router.RouterFixture.backend;
import static dev.slipway.router.RouterFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

/** What the router does when backends refuse, hang up or die, and what it never does (replay a POST). */
class FailoverIT {
    private RouterFixture fx;
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private int listen;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    private <T extends AutoCloseable> T later(T c) {
        closeLater.add(c);
        return c;
    }

    private Duration responseHeaderTimeout = Duration.ofSeconds(10);

    private void routes(String backends, String weights) throws Exception {
        if (fx == null) {
            fx = RouterFixture.start(o -> o.withTimeouts(Duration.ofSeconds(1), responseHeaderTimeout, Duration.ofSeconds(60),
                    Duration.ofSeconds(30)));
            listen = RouterFixture.freePort();
        }
        fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":[" + backends + "]"
                + (weights == null ? "" : ",\"weights\":" + weights) + "}}}");
    }

    @Test
    void connectRefused_goesToAnotherBackend_andCountsTheRetryAndTheConnectError() throws Exception {
        TestBackend live = later(TestBackend.start("live"));
        int dead = RouterFixture.freePort();
        routes(backend("dead", "r1", dead, "active") + "," + backend("live", "r1", live.port(), "active"), null);
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = get(listen, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("live\n");
        }
        assertThat(fx.metric("slipway_router_upstream_connect_errors_total"))
                .extractingByKey("{service=\"api\",version=\"r1\",backend=\"dead\"}").satisfies(v -> assertThat(v).isGreaterThanOrEqualTo(1.0));
        assertThat(fx.metric("slipway_router_retries_total").get("{service=\"api\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(fx.metric("slipway_router_requests_total"))
                .containsEntry("{service=\"api\",version=\"r1\",backend=\"live\",code=\"2xx\"}", 30.0)
                .containsEntry("{service=\"api\",version=\"r1\",backend=\"dead\",code=\"error\"}", 0.0);
    }

    @Test
    void connectRefused_unpinned_fallsBackToAnotherVersionByWeight() throws Exception {
        TestBackend r2 = later(TestBackend.start("r2"));
        routes(backend("dead", "r1", RouterFixture.freePort(), "active") + "," + backend("r2", "r2", r2.port(), "active"),
                "{\"r1\":50,\"r2\":50}");
        for (int i = 0; i < 20; i++) {
            assertThat(get(listen, "/").headers().firstValue("x-slipway-version")).hasValue("r2");
        }
    }

    @Test
    void connectRefused_pinned_neverLeavesThePinnedVersion() throws Exception {
        TestBackend r1 = later(TestBackend.start("r1"));
        routes(backend("r1", "r1", r1.port(), "active") + "," + backend("dead", "r2", RouterFixture.freePort(), "active"),
                "{\"r1\":100,\"r2\":0}");
        HttpResponse<String> r = get(listen, "/", "X-Slipway-Version", "r2");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(fx.logged(r)).contains("could not connect to backend dead of service api");
        assertThat(r1.requests.get()).isZero();
    }

    @Test
    void errorPages_showTheClientNoBackendIdPortOrOsError_theLogHasThemUnderTheRequestId() throws Exception {
        int dead = RouterFixture.freePort();
        routes(backend("api-dead-7", "r1", dead, "active"), null);
        HttpResponse<String> r = get(listen, "/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).startsWith("502 Bad Gateway: the service failed to answer (request id ")
                .doesNotContain("api-dead-7").doesNotContain(Integer.toString(dead)).doesNotContain("127.0.0.1")
                .doesNotContainIgnoringCase("refused").doesNotContain("api");
        assertThat(r.headers().map().toString()).doesNotContain("api-dead-7").doesNotContain(Integer.toString(dead));
        assertThat(fx.logged(r)).contains("answered 502").contains("api-dead-7").contains(Integer.toString(dead));
        HttpResponse<String> again = get(listen, "/");
        assertThat(again.headers().firstValue("x-slipway-request-id"))
                .isNotEqualTo(r.headers().firstValue("x-slipway-request-id"));
    }

    @Test
    void post_isNeverReplayed_onceSent_evenIfTheBackendHangsUpWithoutAnswering() throws Exception {
        RawBackend raw = later(new RawBackend(n -> null));
        routes(backend("raw", "r1", raw.port(), "active"), null);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"pay\":100}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(fx.logged(r)).contains("closed the connection before responding").contains("a POST is never sent twice");
        Thread.sleep(200);
        assertThat(raw.requests.get()).isEqualTo(1);
        assertThat(fx.metric("slipway_router_requests_total"))
                .containsEntry("{service=\"api\",version=\"r1\",backend=\"raw\",code=\"error\"}", 1.0);
    }

    @Test
    void get_isReplayedOnce_onAFreshConnection_whenAPooledConnectionTurnsOutStale() throws Exception {
        // Each connection answers its first request, then hangs up on the next: the stale keep-alive race.
        RawBackend raw = later(new RawBackend(n -> n == 0 ? RawBackend.OK : null));
        routes(backend("raw", "r1", raw.port(), "active"), null);
        try (RawClient c = new RawClient(listen)) {
            assertThat(c.get("/first").status()).isEqualTo(200);
            RawClient.Response second = c.get("/second");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("ok\n");
        }
        assertThat(raw.requests.get()).isEqualTo(3);
        assertThat(raw.connections.get()).isEqualTo(2);
        assertThat(fx.metric("slipway_router_retries_total")).containsEntry("{service=\"api\"}", 1.0);
    }

    @Test
    void get_onAFreshConnectionThatTakesTheRequestAndDies_is502_notReplayed() throws Exception {
        // docs/router.md: only a reused pooled connection failing before any byte of a response is the
        // stale keep-alive race; a fresh connection that accepted the request and died is the backend failing it.
        RawBackend raw = later(new RawBackend(n -> null));
        routes(backend("raw", "r1", raw.port(), "active"), null);
        HttpResponse<String> r = get(listen, "/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(fx.logged(r)).contains("closed the connection before responding")
                .contains("not sent again: it had reached the backend on a new connection");
        Thread.sleep(200);
        assertThat(raw.requests.get()).isEqualTo(1);
        assertThat(raw.connections.get()).isEqualTo(1);
        assertThat(fx.metric("slipway_router_retries_total")).containsEntry("{service=\"api\"}", 0.0);
    }

    @Test
    void get_onAReusedConnection_thatStartedAnAnswerAndDied_is502_notReplayed() throws Exception {
        // Half a status line is a byte of a response: the backend had the request.
        RawBackend raw = later(new RawBackend(n -> n == 0 ? RawBackend.OK : "HTTP/1.1 2"));
        routes(backend("raw", "r1", raw.port(), "active"), null);
        try (RawClient c = new RawClient(listen)) {
            assertThat(c.get("/first").status()).isEqualTo(200);
            assertThat(c.get("/second").status()).isEqualTo(502);
        }
        assertThat(raw.requests.get()).isEqualTo(2);
        assertThat(fx.metric("slipway_router_retries_total")).containsEntry("{service=\"api\"}", 0.0);
    }

    @Test
    void get_isReplayedOnlyOnce_whenTheFreshConnectionOfTheReplayDiesToo() throws Exception {
        // Each connection answers its first request on itself only once the first connection is gone.
        AtomicInteger answered = new AtomicInteger();
        RawBackend raw = later(new RawBackend(n -> n == 0 && answered.getAndIncrement() == 0 ? RawBackend.OK : null));
        routes(backend("raw", "r1", raw.port(), "active"), null);
        try (RawClient c = new RawClient(listen)) {
            assertThat(c.get("/first").status()).isEqualTo(200);
            assertThat(c.get("/second").status()).isEqualTo(502);
        }
        Thread.sleep(200);
        assertThat(raw.requests.get()).as("first, second, its one replay").isEqualTo(3);
        assertThat(fx.metric("slipway_router_retries_total")).containsEntry("{service=\"api\"}", 1.0);
    }

    @Test
    void aBackendThatNeverAnswers_is504_afterTheResponseHeaderTimeout() throws Exception {
        responseHeaderTimeout = Duration.ofMillis(700);
        TestBackend slow = later(TestBackend.start("slow"));
        routes(backend("slow", "r1", slow.port(), "active"), null);
        long t0 = System.nanoTime();
        HttpResponse<String> r = get(listen, "/slow?ms=5000");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(fx.logged(r)).contains("did not answer within");
        assertThat(ms).isBetween(600L, 2500L);
        assertThat(get(listen, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void killMinus9_ofOneOfTwoBackends_underConcurrentGets_failsOnlyRequestsItHadTakenOnNewConnections() throws Exception {
        Processes.BackendProcess a = later(Processes.backend("a"));
        Processes.BackendProcess b = later(Processes.backend("b"));
        routes(backend("a", "r1", a.port(), "active") + "," + backend("b", "r1", b.port(), "active"), null);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Set<String> servedBy = ConcurrentHashMap.newKeySet();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = get(listen, "/");
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            servedBy.add(r.body().trim());
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        Thread.sleep(1500);
        int beforeKill = ok.get();
        a.process().destroyForcibly(); // SIGKILL
        a.process().waitFor();
        Thread.sleep(1500);
        running.set(false);
        for (Thread t : clients) {
            t.join();
        }
        // Requests in flight on reused pooled connections are replayed on b; one that a had taken on a
        // connection opened for it is a 502 (docs/router.md, "Retries"). At most one per client.
        assertThat(failures).hasSizeLessThanOrEqualTo(8)
                .allSatisfy(f -> assertThat(f).startsWith("502 ").contains("not sent again: it had reached the backend on a new connection"));
        assertThat(servedBy).containsExactlyInAnyOrder("a", "b");
        assertThat(beforeKill).isGreaterThan(50);
        assertThat(ok.get()).isGreaterThan(beforeKill + 50);
    }
}
