package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * What the proxy needs to know about one request, and its head as it goes to the backend.
 *
 * <p>The head is rewritten once, when it arrives (it does not depend on the backend): the request
 * line (HTTP/1.0 becomes HTTP/1.1) and every field are copied through, except the hop-by-hop ones
 * (Connection and the fields it names, Keep-Alive, Proxy-Connection, TE, Upgrade unless upgrading,
 * an Expect: 100-continue the router answers itself) and the forwarding fields the router sets:
 * X-Forwarded-For (appended to), X-Forwarded-Proto, X-Forwarded-Host and Via (appended to).
 * Framing goes up in one meaning only: one plain Content-Length (repeats of the same value
 * collapsed) or {@code transfer-encoding: chunked}; a head that could be framed two ways is refused.
 */
final class RequestHead {
    private static final byte[] HTTP11_CRLF = ascii("HTTP/1.1\r\n");
    private static final byte[] XFF = ascii("x-forwarded-for: ");
    private static final byte[] XFP = ascii("x-forwarded-proto: http\r\n");
    private static final byte[] XFH = ascii("x-forwarded-host: ");
    private static final byte[] VIA = ascii("via: ");
    private static final byte[] VIA_VALUE = ascii("1.1 slipway\r\n");
    private static final byte[] CONNECTION_UPGRADE = ascii("connection: upgrade\r\n");
    private static final byte[] COMMA = ascii(", ");
    private static final byte[] CHUNKED = ascii("transfer-encoding: chunked\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("content-length: ");
    private static final byte[] EMPTY_HOST = ascii("host: \r\n");
    private static final byte[] CRLF = ascii("\r\n");

    String method;
    boolean idempotent;
    boolean headMethod;
    boolean http10;
    boolean keepAlive;
    boolean upgrade;
    boolean expectContinue;
    BodyFraming.Mode framing;
    long contentLength;
    /** From X-Slipway-Version or the slipway-version cookie; null when not pinned. */
    String pinned;
    /** The sticky header's or cookie's value; null when none. */
    String stickyKey;
    /** The head to send upstream; owned by the exchange. */
    ByteBuf upstream;

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads the head {@code p} has just parsed. The sticky header name (lower case) and cookie name
     * may be null. Throws for
     * requests that must be refused (400, 405, 501, 505).
     */
    static RequestHead parse(HeadParser p, String clientIp, String stickyHeader, String stickyCookie,
                             ByteBufAllocator alloc) throws HttpException {
        RequestHead r = new RequestHead();
        byte[] b = p.buf;
        int lineEnd = p.startLineEnd;
        int sp1 = indexOf(b, 0, lineEnd, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(b, sp1 + 1, lineEnd, (byte) ' ');
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1) {
            throw new HttpException(400, "malformed request line");
        }
        for (int i = 0; i < sp1; i++) {
            if (!isToken(b[i])) {
                throw new HttpException(400, "invalid method");
            }
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            int c = b[i] & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw new HttpException(400, "invalid request target");
            }
        }
        r.method = method(b, sp1);
        // origin-form, absolute-form (a scheme first), or * for OPTIONS (RFC 9112 3.2)
        int first = b[sp1 + 1];
        boolean asterisk = first == '*' && sp2 == sp1 + 2;
        if (first != '/' && !asterisk && !absoluteForm(b, sp1 + 1, sp2) || asterisk && !r.method.equals("OPTIONS")) {
            throw new HttpException(400, "invalid request target");
        }
        r.http10 = version(b, sp2 + 1, lineEnd);
        if (r.method.equals("CONNECT")) {
            throw new HttpException(405, "CONNECT is not supported by this reverse proxy");
        }
        r.headMethod = r.method.equals("HEAD");
        r.idempotent = switch (r.method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> false;
        };

        boolean close = false;
        boolean keepAliveToken = false;
        boolean upgradeToken = false;
        boolean otherConnectionTokens = false;
        boolean upgradeField = false;
        int host = -1;
        int hosts = 0;
        boolean te = false;
        long contentLength = -2;
        int firstLength = -1;
        for (int f = 0; f < p.count; f++) {
            switch (p.kind[f]) {
                case HeadParser.CONNECTION -> {
                    close |= p.hasToken(f, "close");
                    keepAliveToken |= p.hasToken(f, "keep-alive");
                    upgradeToken |= p.hasToken(f, "upgrade");
                    otherConnectionTokens |= p.hasOtherConnectionToken(f);
                }
                case HeadParser.UPGRADE -> upgradeField = true;
                case HeadParser.HOST -> {
                    host = f;
                    hosts++;
                }
                case HeadParser.TRANSFER_ENCODING -> te = true;
                case HeadParser.CONTENT_LENGTH -> {
                    long n = p.contentLength(f);
                    if (n < 0 || (contentLength >= 0 && n != contentLength)) {
                        throw new HttpException(400, "invalid Content-Length");
                    }
                    contentLength = n;
                    if (firstLength < 0) {
                        firstLength = f;
                    }
                }
                case HeadParser.EXPECT -> r.expectContinue = p.value(f).trim().equalsIgnoreCase("100-continue");
                case HeadParser.X_SLIPWAY_VERSION -> r.pinned = p.value(f);
                default -> {
                    if (stickyHeader != null && r.stickyKey == null && p.nameIs(f, stickyHeader)) {
                        r.stickyKey = p.value(f);
                    }
                }
            }
        }
        r.keepAlive = r.http10 ? keepAliveToken : !close;
        r.upgrade = upgradeToken && upgradeField;
        if (te) {
            if (r.http10) {
                throw new HttpException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (contentLength != -2) {
                throw new HttpException(400, "both Transfer-Encoding and Content-Length");
            }
            int codings = p.transferCodings();
            if (codings == HeadParser.TE_INVALID || codings == HeadParser.TE_NOT_CHUNKED) {
                // RFC 9112 6.3: without chunked last the length cannot be known.
                throw new HttpException(400, "Transfer-Encoding without chunked exactly once and last");
            }
            if (codings == HeadParser.TE_CODINGS_THEN_CHUNKED) {
                // RFC 9112 6.1; and the router would vouch for codings it does not read.
                throw new HttpException(501, "unsupported Transfer-Encoding: only chunked");
            }
            r.framing = BodyFraming.Mode.CHUNKED;
        } else if (contentLength > 0) {
            r.framing = BodyFraming.Mode.LENGTH;
            r.contentLength = contentLength;
        } else {
            r.framing = BodyFraming.Mode.NONE;
        }
        // RFC 9112 3.2; an HTTP/1.0 request may lack Host, and goes upstream with an empty one.
        if (hosts > 1) {
            throw new HttpException(400, "more than one Host header field");
        }
        if (hosts == 0 && !r.http10) {
            throw new HttpException(400, "no Host header field");
        }
        if (host >= 0 && !p.validHost(host)) {
            throw new HttpException(400, "invalid Host");
        }
        if (r.pinned == null || (stickyCookie != null && r.stickyKey == null)) {
            for (int f = 0; f < p.count; f++) {
                if (p.kind[f] == HeadParser.COOKIE) {
                    String cookies = p.value(f);
                    if (r.pinned == null) {
                        r.pinned = ProxyHeaders.cookie(cookies, ProxyHeaders.PIN_COOKIE);
                    }
                    if (stickyCookie != null && r.stickyKey == null) {
                        r.stickyKey = ProxyHeaders.cookie(cookies, stickyCookie);
                    }
                }
            }
        }
        if (r.pinned != null) {
            // The sticky key stays: a service that lets no client pin routes this request by it.
            r.pinned = r.pinned.trim();
        }

        // At most: every line of the head once more (the appended X-Forwarded-* and Via repeat
        // values from it) plus the router's own fields.
        ByteBuf out = alloc.directBuffer(2 * p.length + 192 + clientIp.length());
        if (r.http10) {
            out.writeBytes(b, 0, sp2 + 1).writeBytes(HTTP11_CRLF);
        } else {
            out.writeBytes(b, 0, lineEnd + 2);
        }
        int xffCount = 0;
        int viaCount = 0;
        for (int f = 0; f < p.count; f++) {
            boolean drop = switch (p.kind[f]) {
                case HeadParser.CONNECTION, HeadParser.KEEP_ALIVE, HeadParser.PROXY_CONNECTION, HeadParser.TE,
                     HeadParser.X_FORWARDED_PROTO, HeadParser.X_FORWARDED_HOST -> true;
                case HeadParser.X_FORWARDED_FOR -> {
                    xffCount++;
                    yield true;
                }
                case HeadParser.VIA -> {
                    viaCount++;
                    yield true;
                }
                case HeadParser.UPGRADE -> !r.upgrade;
                case HeadParser.EXPECT -> r.expectContinue;
                // Framing goes up normalised, below; Connection cannot make Host or framing hop-by-hop
                // (dropping a Content-Length would let the origin read the body as a request).
                case HeadParser.TRANSFER_ENCODING -> true;
                case HeadParser.CONTENT_LENGTH -> f != firstLength || !p.plainNumber(f);
                case HeadParser.HOST -> false;
                default -> otherConnectionTokens && namedInConnection(p, f);
            };
            if (!drop) {
                p.writeLine(f, out);
            }
        }
        if (r.framing == BodyFraming.Mode.CHUNKED) {
            out.writeBytes(CHUNKED);
        } else if (firstLength >= 0 && !p.plainNumber(firstLength)) {
            out.writeBytes(CONTENT_LENGTH);
            HeadParser.writeDecimal(out, contentLength);
            out.writeBytes(CRLF);
        }
        if (hosts == 0) {
            out.writeBytes(EMPTY_HOST);
        }
        out.writeBytes(XFF);
        appendValues(p, HeadParser.X_FORWARDED_FOR, xffCount, out);
        out.writeCharSequence(clientIp, StandardCharsets.ISO_8859_1);
        out.writeBytes(CRLF).writeBytes(XFP);
        if (host >= 0) {
            out.writeBytes(XFH);
            p.writeValue(host, out);
            out.writeBytes(CRLF);
        }
        out.writeBytes(VIA);
        appendValues(p, HeadParser.VIA, viaCount, out);
        out.writeBytes(VIA_VALUE);
        if (r.upgrade) {
            out.writeBytes(CONNECTION_UPGRADE);
        }
        out.writeBytes(CRLF);
        r.upstream = out;
        return r;
    }

    /** Writes "v1, v2, " for the fields of a kind (X-Forwarded-For, Via) the request had. */
    private static void appendValues(HeadParser p, byte kind, int count, ByteBuf out) {
        if (count == 0) {
            return;
        }
        for (int f = 0; f < p.count; f++) {
            if (p.kind[f] == kind && p.valueEnd[f] > p.valueStart[f]) {
                p.writeValue(f, out);
                out.writeBytes(COMMA);
            }
        }
    }

    /** Fields named in Connection are hop-by-hop too (RFC 9110 7.6.1). */
    private static boolean namedInConnection(HeadParser p, int field) {
        String name = new String(p.buf, p.lineStart[field], p.nameEnd[field] - p.lineStart[field],
                StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        for (int f = 0; f < p.count; f++) {
            if (p.kind[f] == HeadParser.CONNECTION && p.hasToken(f, name)) {
                return true;
            }
        }
        return false;
    }

    private static String method(byte[] b, int end) {
        // The common methods without allocating.
        return switch (end) {
            case 3 -> b[0] == 'G' && b[1] == 'E' && b[2] == 'T' ? "GET" : b[0] == 'P' && b[1] == 'U' && b[2] == 'T' ? "PUT"
                    : new String(b, 0, end, StandardCharsets.ISO_8859_1);
            case 4 -> b[0] == 'P' && b[1] == 'O' && b[2] == 'S' && b[3] == 'T' ? "POST"
                    : b[0] == 'H' && b[1] == 'E' && b[2] == 'A' && b[3] == 'D' ? "HEAD" : new String(b, 0, end, StandardCharsets.ISO_8859_1);
            default -> new String(b, 0, end, StandardCharsets.ISO_8859_1);
        };
    }

    /** True for HTTP/1.0, false for HTTP/1.1. */
    private static boolean version(byte[] b, int s, int e) throws HttpException {
        if (e - s == 8 && b[s] == 'H' && b[s + 1] == 'T' && b[s + 2] == 'T' && b[s + 3] == 'P' && b[s + 4] == '/'
                && b[s + 6] == '.') {
            if (b[s + 5] == '1' && b[s + 7] == '1') {
                return false;
            }
            if (b[s + 5] == '1' && b[s + 7] == '0') {
                return true;
            }
            throw new HttpException(505, "only HTTP/1.0 and HTTP/1.1 are supported");
        }
        throw new HttpException(400, "malformed HTTP version");
    }

    /** Whether b[s, e) starts with a URI scheme and its colon. */
    private static boolean absoluteForm(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            int c = b[i] | 0x20;
            if (b[i] == ':') {
                return i > s;
            }
            boolean letter = c >= 'a' && c <= 'z';
            if (!letter && (i == s || !(b[i] >= '0' && b[i] <= '9' || b[i] == '+' || b[i] == '-' || b[i] == '.'))) {
                return false;
            }
        }
        return false;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isToken(byte c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
