package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static dev.slipway.router.RouterFixture.HTTP;
import static dev.slipway.router.RouterFixture.backend;
import static dev.slipway.router.RouterFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin API: health, routes, optimistic concurrency, errors, token, backends, metrics. */
class AdminApiIT {
    private RouterFixture fx;
    private TestBackend be;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (be != null) {
            be.close();
        }
    }

    private String config(int listen, int port) {
        return "{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":[" + backend("api-1", "r1", port, "active") + "]}}}";
    }

    @Test
    void health_andGeneration_countPuts() throws Exception {
        fx = RouterFixture.start();
        be = TestBackend.start("api-1");
        assertThat(fx.adminGet("/health").body()).isEqualTo("{\"status\":\"UP\",\"generation\":0}\n");
        HttpResponse<String> put = fx.put(config(RouterFixture.freePort(), be.port()));
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("{\"generation\":1}\n");
        assertThat(fx.adminGet("/health").body()).contains("\"generation\":1");
        Object routes = Json.parse(fx.adminGet("/routes").body());
        assertThat(routes).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("generation", 1L);
        assertThat(Files.readString(fx.stateDir.resolve("routes.json"))).contains("\"generation\":1");
    }

    @Test
    void putWithStaleGeneration_is409_andChangesNothing() throws Exception {
        fx = RouterFixture.start();
        be = TestBackend.start("api-1");
        int listen = RouterFixture.freePort();
        fx.apply(config(listen, be.port()));
        HttpResponse<String> r = fx.put("{\"generation\":0,\"services\":{}}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(errorBody(r)).containsEntry("type", "generation-conflict").containsEntry("status", 409L);
        assertThat(get(listen, "/").statusCode()).isEqualTo(200);
        // With the current generation it goes through.
        assertThat(fx.put("{\"generation\":1,\"services\":{}}").statusCode()).isEqualTo(200);
        assertThat(fx.router.generation()).isEqualTo(2);
    }

    @Test
    void invalidConfig_is400_withEveryProblem_andNothingIsApplied() throws Exception {
        fx = RouterFixture.start();
        be = TestBackend.start("api-1");
        int listen = RouterFixture.freePort();
        fx.apply(config(listen, be.port()));
        String before = fx.adminGet("/routes").body();
        HttpResponse<String> r = fx.put("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":["
                + backend("api-1", "r1", be.port(), "active") + "," + backend("api-2", "r2", be.port() + 1, "active")
                + "],\"weights\":{\"r1\":50,\"r2\":40}},\"web\":{\"listen\":0,\"backends\":[]}}}");
        assertThat(r.statusCode()).isEqualTo(400);
        Map<String, Object> body = errorBody(r);
        assertThat(body).containsOnlyKeys("title", "status", "type", "details");
        assertThat(body.get("details")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(2);
        assertThat(fx.adminGet("/routes").body()).isEqualTo(before);
        assertThat(fx.router.generation()).isEqualTo(1);
        assertThat(get(listen, "/").body()).isEqualTo("api-1\n");
    }

    @Test
    void aListenPortThatCannotBeBound_is400_andNothingIsApplied() throws Exception {
        fx = RouterFixture.start();
        be = TestBackend.start("api-1");
        int listen = RouterFixture.freePort();
        fx.apply(config(listen, be.port()));
        int newListen = RouterFixture.freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpResponse<String> r = fx.put("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":["
                    + backend("api-1", "r1", be.port(), "active") + "]},\"web\":{\"listen\":" + newListen
                    + ",\"backends\":[]},\"worker\":{\"listen\":" + taken.getLocalPort() + ",\"backends\":[]}}}");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("services.worker.listen: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(fx.router.generation()).isEqualTo(1);
        // The port bound for "web" during the failed attempt was released again.
        try (ServerSocket s = new ServerSocket(newListen, 1, InetAddress.getLoopbackAddress())) {
            assertThat(s.isBound()).isTrue();
        }
    }

    @Test
    void aServiceCanMoveToAnotherPort_andTwoServicesCanSwapPorts() throws Exception {
        fx = RouterFixture.start();
        be = TestBackend.start("be");
        try (TestBackend other = TestBackend.start("other")) {
            int a = RouterFixture.freePort();
            int b = RouterFixture.freePort();
            String two = "{\"services\":{\"x\":{\"listen\":%d,\"backends\":[" + backend("x-1", "r1", be.port(), "active")
                    + "]},\"y\":{\"listen\":%d,\"backends\":[" + backend("y-1", "r1", other.port(), "active") + "]}}}";
            fx.apply(two.formatted(a, b));
            assertThat(get(a, "/").body()).isEqualTo("be\n");
            fx.apply(two.formatted(b, a));
            assertThat(get(a, "/").body()).isEqualTo("other\n");
            assertThat(get(b, "/").body()).isEqualTo("be\n");
        }
    }

    @Test
    void token_isRequired_exceptForHealth() throws Exception {
        fx = RouterFixture.start(o -> o.withToken("s3cret"));
        assertThat(fx.adminGet("/health").statusCode()).isEqualTo(200);
        for (String path : List.of("/routes", "/metrics", "/routes/api/backends")) {
            HttpResponse<String> r = fx.adminGet(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(errorBody(r)).containsEntry("type", "unauthorized");
        }
        assertThat(fx.put("{\"services\":{}}").statusCode()).isEqualTo(401);
        assertThat(fx.router.generation()).isEqualTo(0);
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(fx.admin("/routes")))
                .header("Authorization", "Bearer s3creT").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(URI.create(fx.admin("/routes")))
                .header("Authorization", "Bearer s3cret").PUT(HttpRequest.BodyPublishers.ofString("{\"services\":{}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    @Test
    void unknownEndpoints_andMethods_useTheSameErrorShape() throws Exception {
        fx = RouterFixture.start();
        assertThat(fx.adminGet("/nope").statusCode()).isEqualTo(404);
        assertThat(errorBody(fx.adminGet("/nope"))).containsOnlyKeys("title", "status", "type", "details");
        HttpResponse<String> del = HTTP.send(HttpRequest.newBuilder(URI.create(fx.admin("/routes"))).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(del.statusCode()).isEqualTo(405);
        HttpResponse<String> unknown = fx.adminGet("/routes/apx/backends");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorBody(unknown)).containsEntry("type", "unknown-service");
    }

    @Test
    void backendsEndpoint_showsStateInflightAndConnections() throws Exception {
        fx = RouterFixture.start();
        be = TestBackend.start("api-1");
        int listen = RouterFixture.freePort();
        fx.apply(config(listen, be.port()));
        get(listen, "/");
        HttpResponse<String> r = fx.adminGet("/routes/api/backends");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body())).isEqualTo(List.of(Map.of("id", "api-1", "version", "r1", "state", "active",
                "inflight", 0L, "openConnections", 1L, "idleConnections", 1L)));
    }

    @Test
    void metrics_parse_andCountRequestsByClass_withCumulativeBuckets() throws Exception {
        fx = RouterFixture.start();
        be = TestBackend.start("api-1");
        int listen = RouterFixture.freePort();
        fx.apply(config(listen, be.port()));
        for (int i = 0; i < 7; i++) {
            get(listen, "/");
        }
        for (int i = 0; i < 3; i++) {
            get(listen, "/status/503");
        }
        get(listen, "/status/404");
        get(listen, "/", "X-Slipway-Version", "r2"); // generated by the router: "error", of a pinned request
        HttpResponse<String> m = fx.adminGet("/metrics");
        assertThat(m.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String l = "{service=\"api\",version=\"r1\",backend=\"api-1\"";
        Map<String, Double> req = RouterFixture.parseMetric(m.body(), "slipway_router_requests_total");
        assertThat(req).containsEntry(l + ",code=\"2xx\"}", 7.0).containsEntry(l + ",code=\"5xx\"}", 3.0)
                .containsEntry(l + ",code=\"4xx\"}", 1.0).containsEntry(l + ",code=\"error\"}", 0.0)
                .containsEntry("{service=\"api\",version=\"\",backend=\"\",code=\"error\"}", 0.0);
        assertThat(RouterFixture.parseMetric(m.body(), "slipway_router_pinned_requests_total"))
                .containsEntry("{service=\"api\",version=\"\",backend=\"\",code=\"error\"}", 1.0);
        Map<String, Double> buckets = RouterFixture.parseMetric(m.body(), "slipway_router_request_duration_seconds_bucket");
        double previous = 0;
        for (String le : List.of("0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5",
                "10", "+Inf")) {
            double v = buckets.get(l + ",le=\"" + le + "\"}");
            assertThat(v).as("le=" + le).isGreaterThanOrEqualTo(previous);
            previous = v;
        }
        assertThat(previous).isEqualTo(11.0);
        assertThat(RouterFixture.parseMetric(m.body(), "slipway_router_request_duration_seconds_count")).containsEntry(l + "}", 11.0);
        assertThat(RouterFixture.parseMetric(m.body(), "slipway_router_inflight_requests")).containsEntry(l + "}", 0.0);
        assertThat(RouterFixture.parseMetric(m.body(), "slipway_router_config_generation")).containsEntry("", 1.0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> errorBody(HttpResponse<String> r) throws Exception {
        return (Map<String, Object>) Json.parse(r.body());
    }
}
