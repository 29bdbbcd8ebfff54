package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import static dev.slipway.router.RouterFixture.backend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each limit of {@link RouterLimits} alone, one connection at a time, at test scale (1 s): the
 * connection is cut when the limit says (not before, not much after) and the cut is counted.
 * RouterLimitsIT puts them all under load together.
 */
class RouterLimitsTimingIT {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private RouterFixture fx;
    private int listen;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    private void start(int backendPort, UnaryOperator<RouterLimits> limits, UnaryOperator<RouterOptions> options)
            throws Exception {
        fx = RouterFixture.start(o -> options.apply(o.withIoThreads(1)
                .withLimits(limits.apply(RouterLimits.DEFAULTS.withTimeouts(SECOND, SECOND, SECOND)))));
        listen = RouterFixture.freePort();
        fx.apply("{\"services\":{\"web\":{\"listen\":" + listen + ",\"backends\":["
                + backend("be-1", "r1", backendPort, "active") + "]}}}");
    }

    private TestBackend testBackend() {
        TestBackend be = TestBackend.start("be");
        closeables.add(be);
        return be;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", listen);
        s.setSoTimeout(10_000);
        closeables.add(s);
        return s;
    }

    private static void send(Socket s, String raw) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads until the router closes the connection; what came, and after how long (from {@code since}). */
    private record Closed(String text, long afterMs) {
    }

    private static Closed readUntilClosed(Socket s, long since) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (sb.length() < 4096) {
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the router did not close the connection within 10 s; got: " + sb);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return new Closed(sb.toString(), (System.nanoTime() - since) / 1_000_000);
    }

    private long metric(String name, String labels) throws Exception {
        Double v = fx.metric(name).get(labels);
        assertThat(v).as(name + labels).isNotNull();
        return v.longValue();
    }

    private static void assertAfterAboutOneSecond(Closed c) {
        // The sweep runs every 500 ms on a coarse clock: cut between 1 and 2 s, with slack for a busy machine.
        assertThat(c.afterMs()).as(c.text()).isBetween(1000L, 3000L);
    }

    @Test
    void aRequestHeadThatDoesNotFinish_isAnswered408_atTheHeadTimeout() throws Exception {
        start(testBackend().port(), l -> l, o -> o);
        Socket trickle = connect();
        long t0 = System.nanoTime();
        send(trickle, "GET / HTTP/1.1\r\nHost: x\r\nX-Long: aaaa");
        Socket silent = connect();
        Closed c = readUntilClosed(trickle, t0);
        assertAfterAboutOneSecond(c);
        assertThat(c.text()).startsWith("HTTP/1.1 408 Request Timeout").contains("within 1000 ms");
        assertThat(readUntilClosed(silent, t0).text()).as("a connection that sends nothing").startsWith("HTTP/1.1 408");
        assertThat(metric("slipway_router_timeouts_total", "{kind=\"request-head\"}")).isEqualTo(2);
    }

    @Test
    void anIdleKeepAliveConnection_isClosed_afterTheKeepAliveTimeout() throws Exception {
        start(testBackend().port(), l -> l, o -> o.withClientIdleTimeout(SECOND));
        Socket s = connect();
        send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        long t0 = System.nanoTime();
        Closed c = readUntilClosed(s, t0);
        assertThat(c.text()).startsWith("HTTP/1.1 200");
        assertAfterAboutOneSecond(c);
        assertThat(metric("slipway_router_timeouts_total", "{kind=\"keep-alive\"}")).isEqualTo(1);
    }

    @Test
    void aRequestBodyThatStops_isCut_afterTheBodyIdleTime() throws Exception {
        start(testBackend().port(), l -> l, o -> o);
        Socket s = connect();
        send(s, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345");
        long t0 = System.nanoTime();
        Closed c = readUntilClosed(s, t0);
        assertAfterAboutOneSecond(c);
        assertThat(metric("slipway_router_timeouts_total", "{kind=\"client-body\"}")).isEqualTo(1);
    }

    @Test
    void aResponseBodyThatStops_isCut_afterTheBodyIdleTime_andDoesNotLookComplete() throws Exception {
        RawBackend be = new RawBackend(n -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
        closeables.add(be);
        start(be.port(), l -> l, o -> o);
        Socket s = connect();
        send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        long t0 = System.nanoTime();
        Closed c = readUntilClosed(s, t0);
        assertThat(c.text()).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nabc");
        assertAfterAboutOneSecond(c);
        assertThat(metric("slipway_router_timeouts_total", "{kind=\"upstream-body\"}")).isEqualTo(1);
    }

    @Test
    void aClientThatStopsReading_isCut_afterTheBodyIdleTime() throws Exception {
        start(testBackend().port(), l -> l, o -> o);
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", listen));
        closeables.add(s);
        send(s, "GET /big?bytes=" + (16 << 20) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (metric("slipway_router_timeouts_total", "{kind=\"client-write\"}") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(metric("slipway_router_timeouts_total", "{kind=\"client-write\"}")).isEqualTo(1);
        s.setSoTimeout(10_000);
        Closed c = readUntilClosed(s, System.nanoTime());
        assertThat(c.text()).startsWith("HTTP/1.1 200");
    }

    @Test
    void anIdleTunnel_isClosed_afterTheTunnelIdleTime_butOneWithTrafficIsNot() throws Exception {
        start(testBackend().port(), l -> l, o -> o);
        Socket s = connect();
        send(s, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        byte[] buf = new byte[4096];
        int n = s.getInputStream().read(buf);
        assertThat(new String(buf, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
        long lastFrame = 0;
        for (int i = 0; i < 6; i++) {
            // A masked text frame "hi" every 400 ms: 2.4 s of traffic, well past the idle time.
            s.getOutputStream().write(new byte[]{(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'});
            lastFrame = System.nanoTime();
            Thread.sleep(400);
        }
        assertThat(metric("slipway_router_timeouts_total", "{kind=\"tunnel-idle\"}")).isZero();
        Closed c = readUntilClosed(s, lastFrame);
        assertAfterAboutOneSecond(c);
        assertThat(metric("slipway_router_timeouts_total", "{kind=\"tunnel-idle\"}")).isEqualTo(1);
    }

    @Test
    void connectionsOverTheMaximum_areRefusedAtOnce_andCounted() throws Exception {
        start(testBackend().port(), l -> l.withMaxConnections(3), o -> o);
        for (int i = 0; i < 3; i++) {
            connect();
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (metric("slipway_router_client_connections", "") < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Socket fourth = connect();
        try {
            send(fourth, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        } catch (IOException reset) {
            // refused before the request went out
        }
        Closed c = readUntilClosed(fourth, System.nanoTime());
        assertThat(c.text()).isEmpty();
        assertThat(c.afterMs()).isLessThan(1000);
        assertThat(metric("slipway_router_connections_rejected_total", "{reason=\"max-connections\"}")).isEqualTo(1);
    }

    @Test
    void aBackendAtItsConnectionLimit_getsNoMore_andTheRequestIs503() throws Exception {
        start(testBackend().port(), l -> l.withMaxConnectionsPerBackend(1).withTimeouts(Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10)), o -> o);
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return RouterFixture.get(listen, "/slow?ms=1500").statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500);
        try (RawClient second = new RawClient(listen)) {
            RawClient.Response r = second.get("/");
            assertThat(r.status()).isEqualTo(503);
            assertThat(fx.logged(r)).contains("connections busy");
        }
        assertThat(slow.get()).isEqualTo(200);
        assertThat(metric("slipway_router_backend_busy_total", "")).isEqualTo(1);
        assertThat(RouterFixture.get(listen, "/").statusCode()).as("the pooled connection serves again").isEqualTo(200);
    }

    @Test
    void incompleteHeadsPastTheHeadBuffers_areRefused_whileCompleteRequestsPass() throws Exception {
        start(testBackend().port(), l -> l.withHeadBufferBytes(64 * 1024).withTimeouts(Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10)), o -> o);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Socket s = connect();
            send(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(10_000));
            sockets.add(s);
        }
        Thread.sleep(300);
        assertThat(metric("slipway_router_connections_rejected_total", "{reason=\"head-buffers\"}")).isBetween(3L, 11L);
        assertThat(RouterFixture.get(listen, "/").statusCode()).isEqualTo(200);
        int refused = 0;
        for (Socket s : sockets) {
            s.setSoTimeout(200);
            try {
                byte[] b = new byte[64];
                int n = s.getInputStream().read(b);
                if (n > 0 && new String(b, 0, n, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 503")) {
                    refused++;
                }
            } catch (SocketTimeoutException stillWaiting) {
                // held within the budget
            } catch (IOException reset) {
                refused++;
            }
        }
        assertThat((long) refused).isEqualTo(metric("slipway_router_connections_rejected_total", "{reason=\"head-buffers\"}"));
    }

    @Test
    void theAdminApi_refusesWithoutTheToken_orOverTheBodyLimit_beforeReadingTheBody() throws Exception {
        fx = RouterFixture.start(o -> o.withToken("s3cret"));
        try (Socket s = new Socket("127.0.0.1", fx.router.adminPort())) {
            s.setSoTimeout(5_000);
            // A body announced and never sent: only an answer given before reading it comes back.
            send(s, "PUT /routes HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
            Closed c = readUntilClosed(s, System.nanoTime());
            assertThat(c.text()).startsWith("HTTP/1.1 401");
        }
        try (Socket s = new Socket("127.0.0.1", fx.router.adminPort())) {
            s.setSoTimeout(5_000);
            send(s, "PUT /routes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\nContent-Length: "
                    + (AdminServer.MAX_BODY + 1) + "\r\n\r\n");
            Closed c = readUntilClosed(s, System.nanoTime());
            assertThat(c.text()).startsWith("HTTP/1.1 413").contains("too-large");
        }
    }
}
