package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestHeadTest {

    private static RequestHead parse(String raw) throws HttpException {
        return parse(raw, null, null);
    }

    private static RequestHead parse(String raw, String stickyHeader, String stickyCookie) throws HttpException {
        HeadParser p = new HeadParser();
        ByteBuf in = Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1);
        try {
            int len = p.find(in);
            assertThat(len).as("complete head").isPositive();
            p.parseFields();
            return RequestHead.parse(p, "10.0.0.9", stickyHeader, stickyCookie, ByteBufAllocator.DEFAULT);
        } finally {
            in.release();
        }
    }

    private static String upstream(RequestHead r) {
        try {
            return r.upstream.toString(StandardCharsets.ISO_8859_1);
        } finally {
            r.upstream.release();
        }
    }

    @Test
    void simpleGet_keepsItsLines_andGetsTheForwardingFields() throws Exception {
        RequestHead r = parse("GET /a?b=c HTTP/1.1\r\nHost: shop.local:41000\r\nAccept: */*\r\n\r\n");
        assertThat(r.method).isEqualTo("GET");
        assertThat(r.idempotent).isTrue();
        assertThat(r.keepAlive).isTrue();
        assertThat(r.framing).isEqualTo(BodyFraming.Mode.NONE);
        assertThat(upstream(r)).isEqualTo("GET /a?b=c HTTP/1.1\r\nHost: shop.local:41000\r\nAccept: */*\r\n"
                + "x-forwarded-for: 10.0.0.9\r\nx-forwarded-proto: http\r\nx-forwarded-host: shop.local:41000\r\n"
                + "via: 1.1 slipway\r\n\r\n");
    }

    @Test
    void hopByHopFields_andFieldsNamedInConnection_areDropped_forwardingFieldsAppendTo() throws Exception {
        RequestHead r = parse("POST /x HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Secret\r\nKeep-Alive: timeout=5\r\n"
                + "X-Secret: s\r\nProxy-Connection: close\r\nTE: trailers\r\nUpgrade: h2c\r\nX-Forwarded-For: 1.2.3.4\r\n"
                + "x-forwarded-for: 5.6.7.8\r\nVia: 1.0 lb\r\nX-Forwarded-Proto: https\r\nContent-Length: 3\r\n\r\n");
        assertThat(r.idempotent).isFalse();
        assertThat(r.upgrade).isFalse();
        assertThat(r.framing).isEqualTo(BodyFraming.Mode.LENGTH);
        assertThat(r.contentLength).isEqualTo(3);
        assertThat(upstream(r)).isEqualTo("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                + "x-forwarded-for: 1.2.3.4, 5.6.7.8, 10.0.0.9\r\nx-forwarded-proto: http\r\nx-forwarded-host: h\r\n"
                + "via: 1.0 lb, 1.1 slipway\r\n\r\n");
    }

    @Test
    void http10_becomesHttp11_andIsKeepAliveOnlyWhenAsked() throws Exception {
        RequestHead r = parse("GET / HTTP/1.0\r\n\r\n");
        assertThat(r.http10).isTrue();
        assertThat(r.keepAlive).isFalse();
        assertThat(upstream(r)).as("RFC 9112 3.2: no authority known, so an empty Host")
                .startsWith("GET / HTTP/1.1\r\nhost: \r\nx-forwarded-for: 10.0.0.9\r\n");
        RequestHead ka = parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        assertThat(ka.keepAlive).isTrue();
        ka.upstream.release();
        RequestHead close = parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertThat(close.keepAlive).isFalse();
        close.upstream.release();
    }

    @Test
    void upgrade_keepsUpgradeAndSaysSoInConnection() throws Exception {
        RequestHead r = parse("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        assertThat(r.upgrade).isTrue();
        assertThat(upstream(r)).contains("Upgrade: websocket\r\n").contains("connection: upgrade\r\n")
                .doesNotContain("Connection: Upgrade");
    }

    @Test
    void expect100Continue_isTakenOut() throws Exception {
        RequestHead r = parse("PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        assertThat(r.expectContinue).isTrue();
        assertThat(r.idempotent).isTrue();
        assertThat(upstream(r)).doesNotContainIgnoringCase("expect");
    }

    @Test
    void chunked_isTheOnlyTransferCodingARequestMayUse() throws Exception {
        RequestHead r = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked \r\n\r\n");
        assertThat(r.framing).isEqualTo(BodyFraming.Mode.CHUNKED);
        assertThat(upstream(r)).contains("transfer-encoding: chunked\r\n").doesNotContain("Chunked");
        assertThatThrownBy(() -> parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status).isEqualTo(501));
    }

    @Test
    void pinning_andStickiness_areReadFromHeadersAndCookies() throws Exception {
        RequestHead pinned = parse("GET / HTTP/1.1\r\nHost: h\r\nX-Slipway-Version:  r2 \r\nX-User: u1\r\n\r\n", "x-user", null);
        assertThat(pinned.pinned).isEqualTo("r2");
        assertThat(pinned.stickyKey).as("kept for a service that does not let clients pin").isEqualTo("u1");
        pinned.upstream.release();
        RequestHead cookie = parse("GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1; slipway-version=r3\r\n\r\n");
        assertThat(cookie.pinned).isEqualTo("r3");
        cookie.upstream.release();
        RequestHead sticky = parse("GET / HTTP/1.1\r\nHost: h\r\nCookie: session=abc\r\n\r\n", "x-user", "session");
        assertThat(sticky.stickyKey).isEqualTo("abc");
        sticky.upstream.release();
        RequestHead header = parse("GET / HTTP/1.1\r\nHost: h\r\nX-USER: u7\r\nCookie: session=abc\r\n\r\n", "x-user", "session");
        assertThat(header.stickyKey).isEqualTo("u7");
        header.upstream.release();
    }

    @Test
    void smugglingShapes_andMalformedHeads_areRefused() {
        String[][] cases = {
                {"GET / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", "400", "both Transfer-Encoding and Content-Length"},
                {"GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "400", "invalid Content-Length"},
                {"GET / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n", "400", "invalid Content-Length"},
                {"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "400", "invalid Content-Length"},
                {"GET / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", "400", "invalid Content-Length"},
                {"GET / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "400", "without chunked exactly once and last"},
                {"GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "400", "Transfer-Encoding in an HTTP/1.0 request"},
                {"GET / HTTP/1.1\r\nHost : h\r\n\r\n", "400", "whitespace before a colon"},
                {"GET / HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n", "400", "obsolete line folding"},
                {"GET / HTTP/1.1\r\nX-A: a\u0000b\r\n\r\n", "400", "control character"},
                {"GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", "400", "CR alone"},
                {"GET / HTTP/1.1\r\nBad Header\r\n\r\n", "400", "invalid header field name"},
                {"GET / HTTP/2.0\r\n\r\n", "505", "only HTTP/1.0 and HTTP/1.1"},
                {"GET / FTP/1.1\r\n\r\n", "400", "malformed HTTP version"},
                {"GET  / HTTP/1.1\r\n\r\n", "400", "malformed request line"},
                {"G(T / HTTP/1.1\r\n\r\n", "400", "invalid method"},
                {"GET /a b HTTP/1.1\r\n\r\n", "400", "malformed HTTP version"},
                {"CONNECT h:443 HTTP/1.1\r\n\r\n", "405", "CONNECT"},
                {"GET / HTTP/1.1\rHost: h\r\n\r\n", "400", "CR alone"},
                {"GET / HTTP/1.1\rTransfer-Encoding: chunked\r\nHost: h\r\n\r\n", "400", "CR alone"},
                {"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "400",
                        "without chunked exactly once and last"},
                {"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "400", "without chunked exactly once"},
                // Whitespace around an element is not part of it: "chunked \t, chunked" is chunked twice.
                {"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked \t, chunked\r\n\r\n", "400", "without chunked exactly once"},
                {"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n", "400", "without chunked exactly once"},
                {"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n", "400",
                        "without chunked exactly once"},
                {"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \r\n\r\n", "400", "without chunked exactly once"},
                {"GET / HTTP/1.1\r\n\r\n", "400", "no Host"},
                {"GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", "400", "invalid request target"},
                {"GET /\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n", "400", "invalid request target"},
                {"GET a HTTP/1.1\r\nHost: h\r\n\r\n", "400", "invalid request target"},
                {"GET * HTTP/1.1\r\nHost: h\r\n\r\n", "400", "invalid request target"},
                {"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", "400", "more than one Host"},
                {"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", "400", "more than one Host"},
                {"GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "400", "invalid Host"},
                {"GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", "400", "invalid Host"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).isInstanceOfSatisfying(HttpException.class, e -> {
                assertThat(e.status).isEqualTo(Integer.parseInt(c[1]));
                assertThat(e.getMessage()).contains(c[2]);
            });
        }
    }

    @Test
    void repeatedContentLength_goesUpAsOnePlainValue() throws Exception {
        for (String lengths : new String[]{"Content-Length: 5\r\nContent-Length: 5\r\n", "Content-Length: 5, 5\r\n",
                "Content-Length:  5 ,5\r\ncontent-length: 5\r\n"}) {
            RequestHead r = parse("POST / HTTP/1.1\r\nHost: h\r\n" + lengths + "\r\n");
            assertThat(r.contentLength).isEqualTo(5);
            String up = upstream(r);
            assertThat(up.toLowerCase(java.util.Locale.ROOT).split("content-length", -1)).as(up).hasSize(2);
            assertThat(up).as(lengths).containsIgnoringCase("content-length: 5\r\n");
        }
    }

    @Test
    void connection_cannotMakeFramingOrHostHopByHop() throws Exception {
        // Dropping Content-Length would leave the origin reading the body as the next request.
        RequestHead r = parse("POST / HTTP/1.1\r\nHost: h\r\nConnection: Content-Length, Host, Transfer-Encoding\r\n"
                + "Content-Length: 5\r\n\r\n");
        assertThat(upstream(r)).contains("Content-Length: 5\r\n").contains("Host: h\r\n");
        RequestHead c = parse("POST / HTTP/1.1\r\nHost: h\r\nConnection: transfer-encoding\r\nTransfer-Encoding: Chunked\r\n\r\n");
        assertThat(upstream(c)).contains("transfer-encoding: chunked\r\n").doesNotContain("Chunked");
    }

    @Test
    void find_waitsForTheWholeHead_acrossReads_andRejectsBareLineFeeds() throws Exception {
        HeadParser p = new HeadParser();
        String raw = "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /next";
        ByteBuf in = Unpooled.buffer();
        for (int i = 0; i < raw.indexOf("\r\n\r\n") + 3; i++) {
            in.writeByte(raw.charAt(i));
            assertThat(p.find(in)).isZero();
        }
        in.writeBytes(raw.substring(raw.indexOf("\r\n\r\n") + 3).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(p.find(in)).isEqualTo(raw.indexOf("GET /next"));
        in.release();
        ByteBuf bare = Unpooled.copiedBuffer("GET / HTTP/1.1\nHost: h\n\n", StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> p.find(bare)).hasMessageContaining("without CR");
        bare.release();
    }

    @Test
    void find_refusesHeadsOver32KiB() {
        HeadParser p = new HeadParser();
        ByteBuf in = Unpooled.copiedBuffer("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n", StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> p.find(in)).isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status).isEqualTo(431));
        in.release();
    }
}
