package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.slipway.router.RouterFixture.backend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response whose body ends when the backend closes is whole only on a clean close (FIN): cut off by a
 * reset or by the router's drain timeout, the client connection is reset, never ended as if complete.
 */
class CutOffResponseIT {
    private static final String HEAD_UNTIL_CLOSE = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";

    private RouterFixture fx;
    private int listen;
    private ServerSocket backend;

    @BeforeEach
    void start() throws Exception {
        fx = RouterFixture.start();
        listen = RouterFixture.freePort();
        backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        fx.close();
    }

    private void routes(String state) throws Exception {
        fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":[" + backend("raw", "r1", backend.getLocalPort(), state)
                + "],\"drainTimeoutMs\":300}}}");
    }

    /** Answers one connection: reads the head, sends {@code response}, then resets or closes cleanly. */
    private CountDownLatch serveOnce(String response, boolean reset, CountDownLatch holdUntil) {
        CountDownLatch sent = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (Socket s = backend.accept()) {
                InputStream in = s.getInputStream();
                int state = 0;
                while (state < 4) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    state = (b == '\r' && state % 2 == 0) ? state + 1 : (b == '\n' && state % 2 == 1) ? state + 1 : 0;
                }
                s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                sent.countDown();
                if (holdUntil != null) {
                    holdUntil.await(10, TimeUnit.SECONDS);
                }
                Thread.sleep(100); // the partial body reaches the client first
                if (reset) {
                    s.setSoLinger(true, 0);
                }
            } catch (IOException | InterruptedException e) {
                // the router went away
            }
        });
        return sent;
    }

    /** Everything the router sends until it ends the connection, and how it ended it. */
    private record Received(String text, boolean reset) {
    }

    private Received exchange(String request) throws IOException {
        try (Socket c = new Socket("127.0.0.1", listen)) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = c.getInputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (SocketException reset) {
                return new Received(got.toString(StandardCharsets.ISO_8859_1), true);
            }
            return new Received(got.toString(StandardCharsets.ISO_8859_1), false);
        }
    }

    @Test
    void untilCloseBody_endedByAReset_resetsTheHttp10Client() throws Exception {
        routes("active");
        serveOnce(HEAD_UNTIL_CLOSE + "partial", true, null);
        Received r = exchange("GET / HTTP/1.0\r\n\r\n");
        assertThat(r.reset()).as("an HTTP/1.0 client reads to the close: a clean close would make \"%s\" look whole", r.text())
                .isTrue();
    }

    @Test
    void untilCloseBody_endedByAReset_neverGetsTheLastChunk() throws Exception {
        routes("active");
        serveOnce(HEAD_UNTIL_CLOSE + "partial", true, null);
        Received r = exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(r.text()).contains("transfer-encoding: chunked").doesNotContain("0\r\n\r\n");
        assertThat(r.reset()).isTrue();
    }

    @Test
    void untilCloseBody_endedByTheDrainTimeout_resetsTheClient() throws Exception {
        routes("active");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch sent = serveOnce(HEAD_UNTIL_CLOSE + "partial", false, release);
        Thread.ofVirtual().start(() -> {
            try {
                sent.await(10, TimeUnit.SECONDS);
                Thread.sleep(200);
                routes("draining");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Received r = exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        release.countDown();
        assertThat(r.text()).contains("7\r\npartial\r\n").doesNotContain("0\r\n\r\n");
        assertThat(r.reset()).isTrue();
    }

    @Test
    void untilCloseBody_endedByACleanClose_isWhole() throws Exception {
        routes("active");
        serveOnce(HEAD_UNTIL_CLOSE + "all of it", false, null);
        Received r = exchange("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertThat(r.text()).endsWith("9\r\nall of it\r\n0\r\n\r\n");
        assertThat(r.reset()).isFalse();
        serveOnce(HEAD_UNTIL_CLOSE + "all of it", false, null);
        Received old = exchange("GET / HTTP/1.0\r\n\r\n");
        assertThat(old.text()).endsWith("\r\n\r\nall of it");
        assertThat(old.reset()).isFalse();
    }
}
