package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What the proxy needs to know about one response, and the head it sends to the client: copied
 * through except the hop-by-hop fields (Connection — kept on a 101 —, Keep-Alive, Proxy-Connection)
 * and a backend's own X-Slipway-Version; then X-Slipway-Version and, where needed, framing and
 * Connection fields for the client. Content-Length goes on once, and not at all beside
 * Transfer-Encoding (RFC 9112 6.3); chunked given twice or not last is a 502.
 */
final class ResponseHead {
    static final int DECHUNK = 1;
    static final int RECHUNK = 2;
    static final int CLOSE = 4;
    static final int KEEP_ALIVE = 8;

    private static final byte[] HTTP11 = RequestHead.ascii("HTTP/1.1");
    private static final byte[] VERSION = RequestHead.ascii("x-slipway-version: ");
    private static final byte[] CHUNKED = RequestHead.ascii("transfer-encoding: chunked\r\n");
    private static final byte[] CONNECTION_CLOSE = RequestHead.ascii("connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = RequestHead.ascii("connection: keep-alive\r\n");
    private static final byte[] CONTENT_LENGTH = RequestHead.ascii("content-length: ");
    private static final byte[] CRLF = RequestHead.ascii("\r\n");

    int status;
    boolean http10;
    boolean keepAlive;
    BodyFraming.Mode framing;
    /** The body's length when framed by Content-Length. */
    long contentLength;
    /** The Content-Length value, whatever the framing (a HEAD response's too); -1 when none. */
    long lengthValue = -1;
    boolean transferEncoding;
    /** The first Content-Length field, -1 when none; plainLength when its value is digits only. */
    int firstLength = -1;
    boolean plainLength;

    /** Reads the head {@code p} has just parsed; a response the proxy cannot frame is a 502. */
    static ResponseHead parse(HeadParser p, boolean requestWasHead) throws HttpException {
        byte[] b = p.buf;
        int e = p.startLineEnd;
        if (e < 12 || b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' || b[5] != '1'
                || b[6] != '.' || (b[7] != '0' && b[7] != '1') || b[8] != ' ' || !digit(b[9]) || !digit(b[10]) || !digit(b[11]) || (e > 12 && b[12] != ' ')) {
            throw new HttpException(502, "malformed status line");
        }
        for (int i = 13; i < e; i++) {
            int c = b[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new HttpException(502, "control character in the status line");
            }
        }
        ResponseHead r = new ResponseHead();
        r.http10 = b[7] == '0';
        r.status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        boolean close = false;
        boolean keepAliveToken = false;
        long length = -1;
        for (int f = 0; f < p.count; f++) {
            switch (p.kind[f]) {
                case HeadParser.CONNECTION -> {
                    close |= p.hasToken(f, "close");
                    keepAliveToken |= p.hasToken(f, "keep-alive");
                }
                case HeadParser.TRANSFER_ENCODING -> r.transferEncoding = true;
                case HeadParser.CONTENT_LENGTH -> {
                    long n = p.contentLength(f);
                    if (n < 0 || (length >= 0 && n != length)) {
                        throw new HttpException(502, "invalid Content-Length");
                    }
                    length = n;
                    if (r.firstLength < 0) {
                        r.firstLength = f;
                        r.plainLength = p.plainNumber(f);
                    }
                }
                default -> {
                }
            }
        }
        r.keepAlive = r.http10 ? keepAliveToken : !close;
        int codings = 0;
        if (r.transferEncoding) {
            codings = p.transferCodings();
            if (codings == HeadParser.TE_INVALID) {
                throw new HttpException(502, "Transfer-Encoding with chunked twice or not last");
            }
            if (length >= 0) {
                // RFC 9112 6.3: Transfer-Encoding wins and Content-Length is not passed on; a backend
                // that sends both is not trusted with another request on this connection.
                r.keepAlive = false;
            }
        }
        r.lengthValue = length;
        int s = r.status;
        if (s < 200 || s == 204 || s == 304 || requestWasHead) {
            r.framing = BodyFraming.Mode.NONE;
        } else if (r.transferEncoding) {
            if (codings != HeadParser.TE_NOT_CHUNKED) {
                r.framing = BodyFraming.Mode.CHUNKED;
            } else {
                r.framing = BodyFraming.Mode.UNTIL_CLOSE;
                r.keepAlive = false;
            }
        } else if (length >= 0) {
            r.framing = BodyFraming.Mode.LENGTH;
            r.contentLength = length;
        } else {
            r.framing = BodyFraming.Mode.UNTIL_CLOSE;
            r.keepAlive = false;
        }
        return r;
    }

    /**
     * The head for the client: {@code version} (the X-Slipway-Version value) may be null for an
     * interim response; {@code flags} are {@link #DECHUNK}, {@link #RECHUNK}, {@link #CLOSE},
     * {@link #KEEP_ALIVE}.
     */
    static ByteBuf write(HeadParser p, ResponseHead r, byte[] version, int flags, ByteBufAllocator alloc) {
        return write(p, r, version, flags, alloc, 0);
    }

    /** As above, with room for {@code extra} more bytes (a small body written right after the head). */
    static ByteBuf write(HeadParser p, ResponseHead r, byte[] version, int flags, ByteBufAllocator alloc, int extra) {
        byte[] b = p.buf;
        ByteBuf out = alloc.directBuffer(p.length + 96 + (version == null ? 0 : version.length) + extra);
        if (r.http10) {
            out.writeBytes(HTTP11).writeBytes(b, 8, p.startLineEnd + 2 - 8);
        } else {
            out.writeBytes(b, 0, p.startLineEnd + 2);
        }
        boolean switching = r.status == 101;
        for (int f = 0; f < p.count; f++) {
            boolean drop = switch (p.kind[f]) {
                case HeadParser.CONNECTION -> !switching;
                case HeadParser.KEEP_ALIVE, HeadParser.PROXY_CONNECTION, HeadParser.X_SLIPWAY_VERSION -> true;
                case HeadParser.TRANSFER_ENCODING -> (flags & DECHUNK) != 0;
                case HeadParser.CONTENT_LENGTH -> r.transferEncoding || f != r.firstLength || !r.plainLength;
                default -> false;
            };
            if (!drop) {
                p.writeLine(f, out);
            }
        }
        if (r.firstLength >= 0 && !r.plainLength && !r.transferEncoding) {
            // Repeats of one value ("5, 5", or two lines) go on as one.
            out.writeBytes(CONTENT_LENGTH);
            HeadParser.writeDecimal(out, r.lengthValue);
            out.writeBytes(CRLF);
        }
        if (version != null) {
            out.writeBytes(VERSION).writeBytes(version).writeBytes(CRLF);
        }
        if ((flags & RECHUNK) != 0) {
            out.writeBytes(CHUNKED);
        }
        if ((flags & CLOSE) != 0) {
            out.writeBytes(CONNECTION_CLOSE);
        } else if ((flags & KEEP_ALIVE) != 0) {
            out.writeBytes(CONNECTION_KEEP_ALIVE);
        }
        out.writeBytes(CRLF);
        return out;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }
}
