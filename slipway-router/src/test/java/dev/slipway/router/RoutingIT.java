package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static dev.slipway.router.RouterFixture.backend;
import static dev.slipway.router.RouterFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Weights, pinning and stickiness through a real router and real backends. */
class RoutingIT {
    private RouterFixture fx;
    private TestBackend r1;
    private TestBackend r2;
    private int listen;

    @BeforeEach
    void start() throws Exception {
        fx = RouterFixture.start();
        r1 = TestBackend.start("api-r1-1");
        r2 = TestBackend.start("api-r2-1");
        listen = RouterFixture.freePort();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
        r1.close();
        r2.close();
    }

    private void routes(String weights, String sticky) throws Exception {
        routes(weights, sticky, "");
    }

    /** {@code more}: further keys of the service, e.g. {@code ,"pinning":false}. */
    private void routes(String weights, String sticky, String more) throws Exception {
        fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":["
                + backend("api-r1-1", "r1", r1.port(), "active") + "," + backend("api-r2-1", "r2", r2.port(), "active")
                + "],\"weights\":" + weights + (sticky == null ? "" : ",\"sticky\":" + sticky) + more + "}}}");
    }

    @Test
    void weightedSplit_90_10_over1000Requests_isWithinTolerance_andEveryResponseNamesItsVersion() throws Exception {
        routes("{\"r1\":90,\"r2\":10}", null);
        Map<String, Integer> byVersion = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            HttpResponse<String> r = get(listen, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            String version = r.headers().firstValue("x-slipway-version").orElseThrow();
            assertThat(r.body()).isEqualTo("api-" + version + "-1\n");
            byVersion.merge(version, 1, Integer::sum);
        }
        // Binomial(1000, 0.1): sd ~ 9.5; 5 sd either side.
        assertThat(byVersion.getOrDefault("r2", 0)).isBetween(52, 148);
        assertThat(byVersion.get("r1") + byVersion.getOrDefault("r2", 0)).isEqualTo(1000);
    }

    @Test
    void pinningHeader_sendsOnlyToThatVersion_evenWithWeightZero() throws Exception {
        routes("{\"r1\":100,\"r2\":0}", null);
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> r = get(listen, "/", "X-Slipway-Version", "r2");
            assertThat(r.body()).isEqualTo("api-r2-1\n");
            assertThat(r.headers().firstValue("x-slipway-version")).hasValue("r2");
        }
        for (int i = 0; i < 50; i++) {
            assertThat(get(listen, "/").body()).isEqualTo("api-r1-1\n");
        }
    }

    @Test
    void pinnedRequests_areCountedApart_soTheyNeverWeighInTheCanarysAnalysis() throws Exception {
        routes("{\"r1\":100,\"r2\":0}", null);
        for (int i = 0; i < 10; i++) {
            assertThat(get(listen, "/", "X-Slipway-Version", "r2").statusCode()).isEqualTo(200);
        }
        assertThat(get(listen, "/", "Cookie", "slipway-version=r2").statusCode()).isEqualTo(200);
        assertThat(get(listen, "/", "X-Slipway-Version", "r9").statusCode()).isEqualTo(503);
        assertThat(get(listen, "/").statusCode()).isEqualTo(200);

        String r2 = "service=\"api\",version=\"r2\",backend=\"api-r2-1\"";
        String r1 = "service=\"api\",version=\"r1\",backend=\"api-r1-1\"";
        assertThat(fx.metric("slipway_router_pinned_requests_total")).containsEntry("{" + r2 + ",code=\"2xx\"}", 11.0)
                .containsEntry("{service=\"api\",version=\"\",backend=\"\",code=\"error\"}", 1.0);
        Map<String, Double> requests = fx.metric("slipway_router_requests_total");
        assertThat(requests).containsEntry("{" + r2 + ",code=\"2xx\"}", 0.0)
                .containsEntry("{" + r1 + ",code=\"2xx\"}", 1.0)
                .containsEntry("{service=\"api\",version=\"\",backend=\"\",code=\"error\"}", 0.0);
        assertThat(fx.metric("slipway_router_request_duration_seconds_count")).containsEntry("{" + r2 + "}", 0.0)
                .containsEntry("{" + r1 + "}", 1.0);
    }

    @Test
    void pinningOff_ignoresTheHeaderAndTheCookie_soAWeightZeroVersionGetsNothing() throws Exception {
        routes("{\"r1\":100,\"r2\":0}", null, ",\"pinning\":false");
        for (int i = 0; i < 20; i++) {
            assertThat(get(listen, "/", "X-Slipway-Version", "r2").body()).isEqualTo("api-r1-1\n");
            assertThat(get(listen, "/", "Cookie", "slipway-version=r2").body()).isEqualTo("api-r1-1\n");
        }
        // Counted as the ordinary requests they were.
        assertThat(fx.metric("slipway_router_requests_total"))
                .containsEntry("{service=\"api\",version=\"r1\",backend=\"api-r1-1\",code=\"2xx\"}", 40.0);
        assertThat(fx.adminGet("/routes").body()).contains("\"pinning\":false");
        // A user who also sends a pin stays sticky, like any other.
        routes("{\"r1\":50,\"r2\":50}", "{\"header\":\"X-User-Id\"}", ",\"pinning\":false");
        java.util.Set<String> served = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            served.add(get(listen, "/", "X-User-Id", "u1", "X-Slipway-Version", "r2").body());
        }
        assertThat(served).hasSize(1);
    }

    @Test
    void versionHeaderOff_noResponseSaysWhichVersionServedIt() throws Exception {
        routes("{\"r1\":100,\"r2\":0}", null, ",\"versionHeader\":false");
        HttpResponse<String> r = get(listen, "/");
        assertThat(r.body()).isEqualTo("api-r1-1\n");
        assertThat(r.headers().firstValue("x-slipway-version")).isEmpty();
        HttpResponse<String> pinned = get(listen, "/", "X-Slipway-Version", "r2");
        assertThat(pinned.body()).isEqualTo("api-r2-1\n");
        assertThat(pinned.headers().firstValue("x-slipway-version")).isEmpty();
    }

    @Test
    void pinningCookie_sendsOnlyToThatVersion() throws Exception {
        routes("{\"r1\":100,\"r2\":0}", null);
        for (int i = 0; i < 20; i++) {
            assertThat(get(listen, "/", "Cookie", "theme=dark; slipway-version=r2").body()).isEqualTo("api-r2-1\n");
        }
    }

    @Test
    void pinnedVersionWithoutActiveBackend_is503_sayingWhy() throws Exception {
        routes("{\"r1\":100,\"r2\":0}", null);
        HttpResponse<String> r = get(listen, "/", "X-Slipway-Version", "r9");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(fx.logged(r)).contains("service api has no version r9");
        fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":["
                + backend("api-r1-1", "r1", r1.port(), "active") + "," + backend("api-r2-1", "r2", r2.port(), "draining")
                + "]}}}");
        r = get(listen, "/", "X-Slipway-Version", "r2");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(fx.logged(r)).contains("no active backend of version r2 for service api");
    }

    @Test
    void stickyHeader_keepsEachUserOnOneVersion_andFollowsTheWeights() throws Exception {
        routes("{\"r1\":50,\"r2\":50}", "{\"header\":\"X-User-Id\",\"cookie\":\"session\"}");
        Map<String, String> first = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int u = 0; u < 60; u++) {
                String v = get(listen, "/", "X-User-Id", "user-" + u).headers().firstValue("x-slipway-version").orElseThrow();
                assertThat(first.putIfAbsent("user-" + u, v)).as("user-" + u).isIn(null, v);
            }
        }
        assertThat(first.values()).contains("r1", "r2");
        // The cookie works as the key too, and gives the same answer as the header for the same value.
        for (int u = 0; u < 20; u++) {
            String v = get(listen, "/", "Cookie", "session=user-" + u).headers().firstValue("x-slipway-version").orElseThrow();
            assertThat(v).isEqualTo(first.get("user-" + u));
        }
    }

    @Test
    void stickyUsers_onTheCanary_stayThere_whenTheCanaryGrows() throws Exception {
        routes("{\"r1\":90,\"r2\":10}", "{\"header\":\"X-User-Id\"}");
        Map<String, String> before = new HashMap<>();
        for (int u = 0; u < 200; u++) {
            before.put("u" + u, get(listen, "/", "X-User-Id", "u" + u).headers().firstValue("x-slipway-version").orElseThrow());
        }
        routes("{\"r1\":50,\"r2\":50}", "{\"header\":\"X-User-Id\"}");
        for (int u = 0; u < 200; u++) {
            String after = get(listen, "/", "X-User-Id", "u" + u).headers().firstValue("x-slipway-version").orElseThrow();
            if (before.get("u" + u).equals("r2")) {
                assertThat(after).isEqualTo("r2");
            }
        }
    }

    @Test
    void backend_seesForwardingHeaders_andNoHopByHopHeaders() throws Exception {
        routes("{\"r1\":100,\"r2\":0}", null);
        get(listen, "/x", "X-Forwarded-For", "203.0.113.7", "X-Other", "kept");
        var h = r1.lastHeaders.get();
        assertThat(h.get("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(h.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(h.get("x-forwarded-host")).isEqualTo("127.0.0.1:" + listen);
        assertThat(h.get("via")).isEqualTo("1.1 slipway");
        assertThat(h.get("x-other")).isEqualTo("kept");
        assertThat(h.contains("connection")).isFalse();
        assertThat(h.get("host")).isEqualTo("127.0.0.1:" + listen);
    }

    @Test
    void aPortWhoseServiceWasRemoved_stopsListening() throws Exception {
        routes("{\"r1\":100,\"r2\":0}", null);
        assertThat(get(listen, "/").statusCode()).isEqualTo(200);
        fx.apply("{\"services\":{}}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (var s = new java.net.Socket("127.0.0.1", listen)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                if (s.getInputStream().read() < 0) {
                    throw new java.io.IOException("closed");
                }
            }
        }).isInstanceOf(java.io.IOException.class);
    }
}
