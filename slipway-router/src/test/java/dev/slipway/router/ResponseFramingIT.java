package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.slipway.router.RouterFixture.backend;
import static org.assertj.core.api.Assertions.assertThat;

/** Response heads a client could read two ways never reach it as they came: refused (502) or normalised. */
class ResponseFramingIT {
    private RouterFixture fx;
    private int listen;

    @BeforeEach
    void start() throws Exception {
        fx = RouterFixture.start();
        listen = RouterFixture.freePort();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private RawClient.Response get(String response) throws Exception {
        try (RawBackend raw = new RawBackend(n -> response)) {
            fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":[" + backend("raw", "r1", raw.port(), "active")
                    + "]}}}");
            try (RawClient c = new RawClient(listen)) {
                return c.get("/");
            }
        }
    }

    @Test
    void aBareCrInTheStatusLine_is502() throws Exception {
        // A lenient reader ends the status line at the first CR and skips a byte: it would see a 200.
        RawClient.Response r = get("HTTP/1.1 200 OK\r\rContent-Length: 2\r\n\r\nok");
        assertThat(r.status()).isEqualTo(502);
        assertThat(fx.logged(r)).contains("invalid response").contains("CR alone");
    }

    @Test
    void transferEncodingWithContentLength_reachesTheClientChunked_withoutTheContentLength() throws Exception {
        RawClient.Response r = get("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("transfer-encoding", "chunked").doesNotContainKey("content-length");
        assertThat(r.body()).isEqualTo("ok");
    }

    @Test
    void repeatedContentLength_reachesTheClientOnce() throws Exception {
        try (RawBackend raw = new RawBackend(n -> "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok")) {
            fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":[" + backend("raw", "r1", raw.port(), "active")
                    + "]}}}");
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", listen)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".getBytes());
                String all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(all).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok");
                assertThat(all.toLowerCase(java.util.Locale.ROOT).split("content-length:", -1)).as(all).hasSize(2);
                assertThat(all).containsIgnoringCase("content-length: 2\r\n");
            }
        }
    }

    @Test
    void chunkedTwice_is502() throws Exception {
        RawClient.Response r = get("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        assertThat(r.status()).isEqualTo(502);
        assertThat(fx.logged(r)).contains("chunked twice or not last");
    }
}
