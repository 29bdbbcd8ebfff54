package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseHeadTest {
    private final HeadParser p = new HeadParser();

    private ResponseHead parse(String raw, boolean head) throws HttpException {
        ByteBuf in = Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1);
        try {
            assertThat(p.find(in)).isPositive();
            p.parseFields();
            return ResponseHead.parse(p, head);
        } finally {
            in.release();
        }
    }

    private String write(ResponseHead r, String version, int flags) {
        ByteBuf out = ResponseHead.write(p, r, version == null ? null : version.getBytes(StandardCharsets.US_ASCII), flags,
                ByteBufAllocator.DEFAULT);
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    @Test
    void framing_followsRfc9112() throws Exception {
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", false).framing).isEqualTo(BodyFraming.Mode.LENGTH);
        assertThat(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false).framing).isEqualTo(BodyFraming.Mode.CHUNKED);
        assertThat(parse("HTTP/1.1 200 OK\r\n\r\n", false).framing).isEqualTo(BodyFraming.Mode.UNTIL_CLOSE);
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", true).framing).as("HEAD").isEqualTo(BodyFraming.Mode.NONE);
        assertThat(parse("HTTP/1.1 204 No Content\r\n\r\n", false).framing).isEqualTo(BodyFraming.Mode.NONE);
        assertThat(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", false).framing).isEqualTo(BodyFraming.Mode.NONE);
        assertThat(parse("HTTP/1.1 100 Continue\r\n\r\n", false).framing).isEqualTo(BodyFraming.Mode.NONE);
        ResponseHead gzipOnly = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false);
        assertThat(gzipOnly.framing).isEqualTo(BodyFraming.Mode.UNTIL_CLOSE);
        assertThat(gzipOnly.keepAlive).isFalse();
    }

    @Test
    void keepAlive_followsVersionAndConnection() throws Exception {
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false).keepAlive).isTrue();
        assertThat(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false).keepAlive).isFalse();
        assertThat(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false).keepAlive).isFalse();
        assertThat(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", false).keepAlive).isTrue();
    }

    @Test
    void write_dropsHopByHopFields_andAddsTheVersion() throws Exception {
        ResponseHead r = parse("HTTP/1.0 200 OK\r\nServer: x\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
                + "X-Slipway-Version: spoofed\r\nContent-Length: 2\r\n\r\n", false);
        assertThat(write(r, "r7", 0)).isEqualTo("HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 2\r\nx-slipway-version: r7\r\n\r\n");
        assertThat(write(r, "r7", ResponseHead.CLOSE)).endsWith("x-slipway-version: r7\r\nconnection: close\r\n\r\n");
    }

    @Test
    void write_keepsConnectionOnA101() throws Exception {
        ResponseHead r = parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", false);
        assertThat(write(r, "r1", 0)).contains("Connection: Upgrade\r\n").contains("Upgrade: websocket\r\n");
    }

    @Test
    void write_reframesForTheClient() throws Exception {
        ResponseHead chunked = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false);
        assertThat(write(chunked, "r1", ResponseHead.DECHUNK | ResponseHead.CLOSE)).doesNotContainIgnoringCase("transfer-encoding")
                .contains("connection: close");
        ResponseHead untilClose = parse("HTTP/1.1 200 OK\r\n\r\n", false);
        assertThat(write(untilClose, "r1", ResponseHead.RECHUNK)).contains("transfer-encoding: chunked\r\n");
    }

    @Test
    void malformedResponses_are502() {
        for (String raw : new String[]{"HTTP/1.1 2000 OK\r\n\r\n", "HTTX/1.1 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "HTTP/1.x 200 OK\r\n\r\n",
                "HTTP/1.1 200 O\u0000K\r\n\r\n"}) {
            assertThatThrownBy(() -> parse(raw, false)).as(raw)
                    .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status).isEqualTo(502));
        }
    }

    @Test
    void aBareCr_inTheStatusLineOrAField_isRefused() {
        // BackendHandler answers the client 502 for any HttpException from a response head.
        for (String raw : new String[]{"HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX\r: b\r\n\r\n"}) {
            assertThatThrownBy(() -> parse(raw, false)).as(raw).isInstanceOf(HttpException.class);
        }
    }

    @Test
    void bothTransferEncodingAndContentLength_transferEncodingWins_andContentLengthIsRemoved() throws Exception {
        ResponseHead r = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n", false);
        assertThat(r.framing).isEqualTo(BodyFraming.Mode.CHUNKED);
        assertThat(r.keepAlive).as("the backend connection is not reused").isFalse();
        assertThat(write(r, "r1", 0)).doesNotContainIgnoringCase("content-length").contains("Transfer-Encoding: chunked\r\n");
        assertThat(write(r, "r1", ResponseHead.DECHUNK | ResponseHead.CLOSE)).doesNotContainIgnoringCase("content-length")
                .doesNotContainIgnoringCase("transfer-encoding");
    }

    @Test
    void repeatedContentLength_goesOnAsOnePlainValue() throws Exception {
        for (String lengths : new String[]{"Content-Length: 7\r\nContent-Length: 7\r\n", "Content-Length: 7, 7\r\n"}) {
            ResponseHead r = parse("HTTP/1.1 200 OK\r\n" + lengths + "\r\n", false);
            assertThat(r.contentLength).isEqualTo(7);
            assertThat(r.lengthValue).isEqualTo(7);
            String out = write(r, "r1", 0);
            assertThat(out.toLowerCase(java.util.Locale.ROOT).split("content-length", -1)).as(out).hasSize(2);
            assertThat(out).containsIgnoringCase("content-length: 7\r\n");
        }
    }
}
