package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.slipway.router.RouterFixture.HTTP;
import static dev.slipway.router.RouterFixture.backend;
import static dev.slipway.router.RouterFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Draining: what the control plane relies on to take a backend out without failing a request. */
class DrainIT {
    private RouterFixture fx;
    private TestBackend a;
    private TestBackend b;
    private int listen;

    @BeforeEach
    void start() throws Exception {
        fx = RouterFixture.start();
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        listen = RouterFixture.freePort();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
        a.close();
        b.close();
    }

    private void routes(String stateA, String weights, long drainTimeoutMs) throws Exception {
        fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":[" + backend("a", "r1", a.port(), stateA) + ","
                + backend("b", "r2", b.port(), "active") + "],\"weights\":" + weights + ",\"drainTimeoutMs\":" + drainTimeoutMs + "}}}");
    }

    private CompletableFuture<HttpResponse<String>> slow(long ms) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/slow?ms=" + ms)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> backendA() throws Exception {
        List<Object> list = (List<Object>) Json.parse(fx.adminGet("/routes/api/backends").body());
        return list.stream().map(o -> (Map<String, Object>) o).filter(m -> m.get("id").equals("a")).findFirst().orElseThrow();
    }

    private Map<String, Object> awaitBackendA(Predicate<Map<String, Object>> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<String, Object> m = backendA();
        while (!condition.test(m) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            m = backendA();
        }
        return m;
    }

    @Test
    void draining_takesNoNewRequests_finishesInFlight_thenClosesItsConnections() throws Exception {
        routes("active", "{\"r1\":100,\"r2\":0}", 30_000);
        for (int i = 0; i < 5; i++) {
            assertThat(get(listen, "/").body()).isEqualTo("a\n");
        }
        CompletableFuture<HttpResponse<String>> inFlight = slow(1500);
        assertThat(awaitBackendA(m -> m.get("inflight").equals(1L))).containsEntry("inflight", 1L);

        routes("draining", "{\"r1\":0,\"r2\":100}", 30_000);
        Map<String, Object> draining = backendA();
        assertThat(draining).containsEntry("state", "draining").containsEntry("inflight", 1L).containsEntry("openConnections", 1L);
        assertThat(awaitBackendA(m -> m.get("idleConnections").equals(0L))).containsEntry("idleConnections", 0L);
        for (int i = 0; i < 20; i++) {
            assertThat(get(listen, "/").body()).isEqualTo("b\n");
        }
        // Pinned requests do not reach a draining backend either.
        assertThat(get(listen, "/", "X-Slipway-Version", "r1").statusCode()).isEqualTo(503);

        HttpResponse<String> done = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).isEqualTo("a\n");
        assertThat(awaitBackendA(m -> m.get("openConnections").equals(0L)))
                .containsEntry("inflight", 0L).containsEntry("openConnections", 0L).containsEntry("idleConnections", 0L);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (a.openConnections.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(a.openConnections.get()).as("connections the backend still sees").isZero();
    }

    @Test
    void drainTimeout_closesRequestsThatTakeLonger() throws Exception {
        routes("active", "{\"r1\":100,\"r2\":0}", 300);
        CompletableFuture<HttpResponse<String>> inFlight = slow(10_000);
        awaitBackendA(m -> m.get("inflight").equals(1L));
        long t0 = System.nanoTime();
        routes("draining", "{\"r1\":0,\"r2\":100}", 300);
        HttpResponse<String> cut = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(cut.statusCode()).isEqualTo(502);
        assertThat(fx.logged(cut)).contains("drain timeout of 300 ms passed");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
        assertThat(awaitBackendA(m -> m.get("openConnections").equals(0L) && m.get("inflight").equals(0L)))
                .containsEntry("openConnections", 0L).containsEntry("inflight", 0L);
    }

    @Test
    void aBackendRemovedFromTheConfig_finishesItsInFlightRequest_andItsConnectionsClose() throws Exception {
        routes("active", "{\"r1\":100,\"r2\":0}", 30_000);
        CompletableFuture<HttpResponse<String>> inFlight = slow(800);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (a.requests.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":[" + backend("b", "r2", b.port(), "active") + "]}}}");
        assertThat(get(listen, "/").body()).isEqualTo("b\n");
        assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo("a\n");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (a.openConnections.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(a.openConnections.get()).isZero();
    }

    @Test
    void reactivatingADrainingBackend_beforeItsTimeout_keepsItsRequestAlive() throws Exception {
        routes("active", "{\"r1\":100,\"r2\":0}", 500);
        CompletableFuture<HttpResponse<String>> inFlight = slow(1200);
        awaitBackendA(m -> m.get("inflight").equals(1L));
        routes("draining", "{\"r1\":0,\"r2\":100}", 500);
        routes("active", "{\"r1\":100,\"r2\":0}", 500); // a rollback of the drain
        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(get(listen, "/").body()).isEqualTo("a\n");
    }
}
