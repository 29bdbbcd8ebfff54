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
        fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":["
                + backend("api-r1-1", "r1", r1.port(), "active") + "," + backend("api-r2-1", "r2", r2.port(), "active")
                + "],\"weights\":" + weights + (sticky == null ? "" : ",\"sticky\":" + sticky) + "}}}");
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
        assertThat(r.body()).contains("service api has no version r9");
        fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":["
                + backend("api-r1-1", "r1", r1.port(), "active") + "," + backend("api-r2-1", "r2", r2.port(), "draining")
                + "]}}}");
        r = get(listen, "/", "X-Slipway-Version", "r2");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("no active backend of version r2 for service api");
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
