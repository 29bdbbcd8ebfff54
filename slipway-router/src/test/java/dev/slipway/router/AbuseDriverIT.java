package dev.slipway.router;

import dev.slipway.router.AbuseDriver.Kind;
import dev.slipway.router.AbuseDriver.Stats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static dev.slipway.router.RouterFixture.backend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The abuse driver's slow reader against one real router, at test scale (1 s body idle time): what
 * RouterLimitsIT counts must hold however slowly the backend fills the router's buffers.
 */
class AbuseDriverIT {
    private static final long BIG = 16L << 20;
    private RouterFixture fx;
    private ServerSocket backendSocket;

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (backendSocket != null) {
            backendSocket.close();
        }
    }

    /**
     * A loaded backend sends the first bytes at once and the rest only after a while, so the
     * router's buffer for the client fills (and its client-write clock starts) later than the
     * reader's stall began. The router is right not to cut a client it never saw stall; the
     * driver must stay a slow reader after its stall, so that the router cuts it once it does.
     */
    @Test
    void aSlowReader_whoseResponseFillsTheRouterLate_isStillCutAtTheClientWriteLimit() throws Exception {
        backendSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serveSlowThenFast);
        fx = RouterFixture.start(o -> o.withIoThreads(1).withLimits(RouterLimits.DEFAULTS.withTimeouts(
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1))));
        int listen = RouterFixture.freePort();
        fx.apply("{\"services\":{\"web\":{\"listen\":" + listen + ",\"backends\":["
                + backend("be-1", "r1", backendSocket.getLocalPort(), "active") + "]}}}");

        Map<Kind, Stats> stats;
        try (AbuseDriver driver = new AbuseDriver(new InetSocketAddress("127.0.0.1", listen), 0, 1, 0, BIG, 2000)) {
            Thread.sleep(300);
            driver.stopHolding();
            // As RouterLimitsIT waits: five body idle times and 10 s.
            stats = driver.finish(15_000);
        }
        Stats slow = stats.get(Kind.SLOW_READER);
        String summary = AbuseDriver.describe(stats) + ", client-write "
                + fx.metric("slipway_router_timeouts_total").get("{kind=\"client-write\"}");
        assertThat(slow.opened).as(summary).isEqualTo(1);
        assertThat(slow.survived).as("connections the router never cut: " + summary).isZero();
        assertThat(slow.wrong).as(summary).isZero();
        assertThat(slow.cut).as(summary).isEqualTo(1);
        assertThat(fx.metric("slipway_router_timeouts_total").get("{kind=\"client-write\"}")).as(summary).isEqualTo(1.0);
    }

    /** One response of BIG bytes: 1 KiB at once, 1 KiB every 500 ms for 3 s, then the rest as fast as it goes. */
    private void serveSlowThenFast() {
        try (Socket s = backendSocket.accept()) {
            byte[] head = new byte[4096];
            int n = 0;
            while (!new String(head, 0, n, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                n += s.getInputStream().read(head, n, head.length - n);
            }
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + BIG + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] kib = new byte[1024];
            long sent = 0;
            for (int i = 0; i < 7; i++) {
                out.write(kib);
                out.flush();
                sent += kib.length;
                Thread.sleep(500);
            }
            byte[] chunk = new byte[64 * 1024];
            while (sent < BIG) {
                int len = (int) Math.min(chunk.length, BIG - sent);
                out.write(chunk, 0, len);
                sent += len;
            }
            out.flush();
            s.getInputStream().read(); // until the router closes the connection
        } catch (IOException | InterruptedException e) {
            // the router cut the response, as it should
        }
    }
}
