package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/** The router's own bits of HTTP: the pinning cookie, cookie lookup, and the responses it makes itself. */
final class ProxyHeaders {
    static final String PIN_COOKIE = "slipway-version";
    static final ByteBuf CONTINUE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(25).writeBytes(RequestHead.ascii("HTTP/1.1 100 Continue\r\n\r\n")).asReadOnly());

    private ProxyHeaders() {
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

    /** A small text/plain response saying why, e.g. "400 Bad Request: invalid Content-Length". */
    static ByteBuf errorResponse(int status, String message, boolean keepAlive, Backend backend) {
        return errorResponse(status, message, keepAlive, backend == null ? null : backend.versionBytes, null);
    }

    /**
     * As above; {@code version} (the X-Slipway-Version value) and {@code requestId} (an
     * X-Slipway-Request-Id header) may be null.
     */
    static ByteBuf errorResponse(int status, String message, boolean keepAlive, byte[] version, String requestId) {
        String reason = reason(status);
        byte[] body = (status + " " + reason + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(160).append("HTTP/1.1 ").append(status).append(' ').append(reason)
                .append("\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ").append(body.length)
                .append("\r\ncache-control: no-store\r\n");
        if (version != null) {
            head.append("x-slipway-version: ").append(new String(version, StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        if (requestId != null) {
            head.append("x-slipway-request-id: ").append(requestId).append("\r\n");
        }
        if (!keepAlive) {
            head.append("connection: close\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.wrappedBuffer(h, body);
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }
}
