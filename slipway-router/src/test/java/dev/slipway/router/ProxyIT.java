package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static dev.slipway.router.RouterFixture.HTTP;
import static dev.slipway.router.RouterFixture.backend;
import static dev.slipway.router.RouterFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

/** HTTP/1.1 proxying: keep-alive on both sides, streaming, chunked, upgrades, pipelining, odd requests. */
class ProxyIT {
    private RouterFixture fx;
    private TestBackend be;
    private int listen;

    @BeforeEach
    void start() throws Exception {
        fx = RouterFixture.start();
        be = TestBackend.start("be");
        listen = RouterFixture.freePort();
        route(be.port());
    }

    private void route(int port) throws Exception {
        fx.apply("{\"services\":{\"web\":{\"listen\":" + listen + ",\"backends\":[" + backend("be-1", "r1", port, "active") + "]}}}");
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
        be.close();
    }

    @Test
    void keepAlive_oneClientConnection_andOneUpstreamConnection_serve100Requests() throws Exception {
        try (RawClient c = new RawClient(listen)) {
            for (int i = 0; i < 100; i++) {
                RawClient.Response r = c.get("/n" + i);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("be\n");
                assertThat(r.headers()).containsEntry("x-slipway-version", "r1").doesNotContainKey("connection");
            }
        }
        assertThat(be.requests.get()).isEqualTo(100);
        assertThat(be.acceptedConnections.get()).isEqualTo(1);
    }

    @Test
    void pooledUpstreamConnections_areSharedAcrossClientConnections() throws Exception {
        for (int i = 0; i < 30; i++) {
            try (RawClient c = new RawClient(listen)) {
                assertThat(c.get("/").status()).isEqualTo(200);
            }
        }
        // One pool per event loop (2 here): at most 2 connections for 30 sequential clients.
        assertThat(be.acceptedConnections.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws Exception {
        try (RawClient c = new RawClient(listen)) {
            c.send("GET /slow?ms=150 HTTP/1.1\r\nHost: t\r\n\r\nGET /status/201 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /status/202 HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(200);
            assertThat(c.read(false).status()).isEqualTo(201);
            assertThat(c.read(false).status()).isEqualTo(202);
            assertThat(c.get("/").status()).isEqualTo(200);
        }
    }

    @Test
    void http10Client_getsItsAnswer_andTheConnectionCloses() throws Exception {
        try (RawClient c = new RawClient(listen)) {
            c.send("GET / HTTP/1.0\r\n\r\n");
            RawClient.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("be\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void http10Client_getsAChunkedResponse_unchunked_endedByClose() throws Exception {
        try (StreamingBackend sb = new StreamingBackend()) {
            route(sb.port());
            try (RawClient c = new RawClient(listen)) {
                c.send("GET /download?bytes=100000 HTTP/1.0\r\n\r\n");
                RawClient.Response r = c.read(false);
                assertThat(r.headers()).doesNotContainKey("transfer-encoding").containsEntry("connection", "close");
                byte[] body = r.body().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(StreamingBackend.crcOf(new java.io.ByteArrayInputStream(body)))
                        .isEqualTo(StreamingBackend.crcOf(StreamingBackend.pattern(100_000)));
            }
        }
    }

    @Test
    void connectionClose_fromTheClient_isHonoured_butTheUpstreamConnectionStaysPooled() throws Exception {
        try (RawClient c = new RawClient(listen)) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            RawClient.Response r = c.read(false);
            assertThat(r.headers()).containsEntry("connection", "close");
            assertThat(c.closedByServer()).isTrue();
        }
        get(listen, "/");
        assertThat(be.acceptedConnections.get()).isLessThanOrEqualTo(2);
        assertThat(be.lastHeaders.get().contains("connection")).isFalse();
    }

    @Test
    void headResponses_haveNoBody_andKeepTheConnectionUsable() throws Exception {
        try (RawClient c = new RawClient(listen)) {
            c.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n");
            RawClient.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).containsEntry("content-length", "3");
            assertThat(c.get("/").body()).isEqualTo("be\n");
        }
    }

    @Test
    void expect100Continue_isAnsweredByTheRouter_thenTheBodyGoesThrough() throws Exception {
        try (StreamingBackend sb = new StreamingBackend()) {
            route(sb.port());
            try (RawClient c = new RawClient(listen)) {
                c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
                assertThat(c.read(false).status()).isEqualTo(100);
                c.send("hello");
                RawClient.Response r = c.read(false);
                assertThat(r.status()).isEqualTo(200);
                CRC32 crc = new CRC32();
                crc.update("hello".getBytes());
                assertThat(r.body()).isEqualTo("5 " + crc.getValue());
            }
        }
    }

    @Test
    void aResponseEndedByClose_isRechunked_soTheClientConnectionSurvives() throws Exception {
        try (RawBackend raw = new RawBackend(n -> "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")) {
            route(raw.port());
            try (RawClient c = new RawClient(listen)) {
                RawClient.Response r = c.get("/");
                assertThat(r.headers()).containsEntry("transfer-encoding", "chunked");
                assertThat(r.body()).isEqualTo("until the end");
                assertThat(c.get("/").body()).isEqualTo("until the end");
            }
            assertThat(raw.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void chunkedUpload_andChunkedDownload_streamThrough() throws Exception {
        try (StreamingBackend sb = new StreamingBackend()) {
            route(sb.port());
            long n = 3_000_000;
            HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/upload"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> StreamingBackend.pattern(n))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.headers().firstValue("transfer-encoding-seen")).hasValue("chunked");
            assertThat(up.body()).isEqualTo(n + " " + StreamingBackend.crcOf(StreamingBackend.pattern(n)));

            HttpResponse<InputStream> down = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + listen + "/download?bytes=" + n)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(down.headers().firstValue("transfer-encoding")).hasValue("chunked");
            try (InputStream in = down.body()) {
                assertThat(StreamingBackend.crcOf(in)).isEqualTo(StreamingBackend.crcOf(StreamingBackend.pattern(n)));
            }
        }
    }

    @Test
    void fiftyMegabytes_streamUp_andDown() throws Exception {
        try (StreamingBackend sb = new StreamingBackend()) {
            route(sb.port());
            long n = 50L * 1024 * 1024;
            long expectedCrc = StreamingBackend.crcOf(StreamingBackend.pattern(n));
            HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/upload"))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> StreamingBackend.pattern(n)), n)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(up.body()).isEqualTo(n + " " + expectedCrc);
            HttpResponse<InputStream> down = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + listen + "/download?bytes=" + n)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = down.body()) {
                assertThat(StreamingBackend.crcOf(in)).isEqualTo(expectedCrc);
            }
        }
    }

    @Test
    void aResponseMayStream_whileTheRequestBodyIsStillComingIn() throws Exception {
        // Small enough for the socket buffers: the JDK client reads the response only after sending.
        try (StreamingBackend sb = new StreamingBackend()) {
            route(sb.port());
            long n = 200_000;
            HttpResponse<InputStream> echo = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> StreamingBackend.pattern(n))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = echo.body()) {
                assertThat(StreamingBackend.crcOf(in)).isEqualTo(StreamingBackend.crcOf(StreamingBackend.pattern(n)));
            }
        }
    }

    @Test
    void webSocket_echoesThroughTheRouter() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + listen + "/ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.complete(data.toString());
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        ws.sendText("hello through the router", true).get(5, TimeUnit.SECONDS);
        assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo("echo: hello through the router");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        // The tunnel counted as one 1xx request while open, and releases the backend when closed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (be.openConnections.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(be.openConnections.get()).isZero();
        assertThat(fx.metric("slipway_router_requests_total"))
                .containsEntry("{service=\"web\",version=\"r1\",backend=\"be-1\",code=\"1xx\"}", 1.0);
        assertThat(fx.metric("slipway_router_inflight_requests"))
                .containsEntry("{service=\"web\",version=\"r1\",backend=\"be-1\"}", 0.0);
    }

    @Test
    void malformedRequest_is400_andTheConnectionCloses() throws Exception {
        try (RawClient c = new RawClient(listen)) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(400);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(be.requests.get()).isZero();
    }
}
