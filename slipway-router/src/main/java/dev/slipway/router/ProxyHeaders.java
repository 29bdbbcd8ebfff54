package dev.slipway.router;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/** The header rules of a proxy (RFC 9110 7.6), the router's own headers, and its error responses. */
final class ProxyHeaders {
    static final AsciiString X_SLIPWAY_VERSION = AsciiString.cached("x-slipway-version");
    static final String PIN_COOKIE = "slipway-version";
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString VIA_VALUE = AsciiString.cached("1.1 slipway");

    private ProxyHeaders() {
    }

    /**
     * Makes a client's request fit to send upstream: drops hop-by-hop headers (those named in
     * Connection too), keeps an Upgrade, speaks HTTP/1.1, adds X-Forwarded-For/-Proto/-Host and Via.
     * Returns whether the request asks to upgrade the connection.
     */
    static boolean prepareRequest(HttpRequest request, String clientIp, boolean expectContinue) {
        HttpHeaders h = request.headers();
        String connection = h.get(HttpHeaderNames.CONNECTION);
        boolean upgrade = h.contains(HttpHeaderNames.UPGRADE) && connection != null
                && AsciiString.containsIgnoreCase(connection, HttpHeaderValues.UPGRADE);
        if (connection != null) {
            // Headers named in Connection are hop-by-hop too (RFC 9110 7.6.1).
            for (String token : connection.split(",")) {
                String t = token.trim();
                if (!t.isEmpty() && !t.equalsIgnoreCase("close") && !t.equalsIgnoreCase("keep-alive")
                        && !t.equalsIgnoreCase("upgrade")) {
                    h.remove(t);
                }
            }
            h.remove(HttpHeaderNames.CONNECTION);
        }
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(PROXY_CONNECTION);
        h.remove(HttpHeaderNames.TE);
        if (expectContinue) {
            h.remove(HttpHeaderNames.EXPECT);
        }
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else {
            h.remove(HttpHeaderNames.UPGRADE);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        String xff = h.get(X_FORWARDED_FOR);
        h.set(X_FORWARDED_FOR, xff == null ? clientIp : xff + ", " + clientIp);
        h.set(X_FORWARDED_PROTO, HTTP);
        String host = h.get(HttpHeaderNames.HOST);
        if (host != null) {
            h.set(X_FORWARDED_HOST, host);
        }
        String via = h.get(HttpHeaderNames.VIA);
        h.set(HttpHeaderNames.VIA, via == null ? VIA_VALUE : via + ", " + VIA_VALUE);
        return upgrade;
    }

    static void stripHopByHop(HttpHeaders rh) {
        rh.remove(HttpHeaderNames.CONNECTION);
        rh.remove(HttpHeaderNames.KEEP_ALIVE);
        rh.remove(PROXY_CONNECTION);
    }

    /** The value of one cookie in a Cookie header, or null. */
    static String cookie(String header, String name) {
        int i = 0;
        int n = header.length();
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ';')) {
                i++;
            }
            int eq = header.indexOf('=', i);
            int semi = header.indexOf(';', i);
            if (semi < 0) {
                semi = n;
            }
            if (eq < 0 || eq > semi) {
                i = semi + 1;
                continue;
            }
            if (eq - i == name.length() && header.regionMatches(i, name, 0, name.length())) {
                String v = header.substring(eq + 1, semi).trim();
                if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
            i = semi + 1;
        }
        return null;
    }

    static FullHttpResponse errorResponse(HttpResponseStatus st, String message, boolean keepAlive, Backend backend) {
        byte[] bytes = (st.code() + " " + st.reasonPhrase() + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, st, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (backend != null) {
            r.headers().set(X_SLIPWAY_VERSION, backend.versionHeader);
        }
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }
}
