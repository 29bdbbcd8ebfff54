package dev.slipway.router;

import java.time.Duration;
import java.util.Locale;

/**
 * What one client may hold of the router, so that slow or greedy clients cannot exhaust its 64 MB
 * heap, its direct memory or its backends. Defaults follow HAProxy's and nginx's where they have
 * one; docs/router.md ("Limits") explains each. Every cut-off is counted in /metrics. (The idle
 * keep-alive time is {@link RouterOptions#clientIdleTimeout()}.)
 *
 * @param maxConnections           client connections over all listeners; more are closed at once
 * @param requestHeadTimeout       from a connection's first byte of a request (or its opening) to the
 *                                 head's end (HAProxy {@code timeout http-request}); slowloris
 * @param bodyIdleTimeout          the longest pause in a body, either way: no request body byte from the
 *                                 client, no response body byte from the backend, or a client (or backend)
 *                                 that takes no bytes off a full buffer (nginx {@code client_body_timeout},
 *                                 {@code send_timeout}, {@code proxy_read_timeout})
 * @param tunnelIdleTimeout        an upgraded (WebSocket) connection with no byte either way is closed
 *                                 after this (HAProxy {@code timeout tunnel})
 * @param maxConnectionsPerBackend connections to one backend; a request finding them all busy goes to
 *                                 another backend or gets a 503 (nginx {@code max_conns})
 * @param headBufferBytes          memory all client connections together may hold in request heads not
 *                                 yet complete; a head that would go past it is refused (431) and its
 *                                 connection closed
 * @param writeBufferBytes         memory all client connections together may hold in responses their
 *                                 clients do not take (a full outbound buffer); a client that stalls past
 *                                 it is cut at once rather than after the body idle time
 */
public record RouterLimits(int maxConnections, Duration requestHeadTimeout, Duration bodyIdleTimeout,
                           Duration tunnelIdleTimeout, int maxConnectionsPerBackend,
                           long headBufferBytes, long writeBufferBytes) {

    public static final RouterLimits DEFAULTS = new RouterLimits(10_000, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofHours(1), 4096, 8L << 20, 8L << 20);

    public RouterLimits withMaxConnections(int n) {
        return new RouterLimits(n, requestHeadTimeout, bodyIdleTimeout, tunnelIdleTimeout,
                maxConnectionsPerBackend, headBufferBytes, writeBufferBytes);
    }

    public RouterLimits withTimeouts(Duration requestHead, Duration bodyIdle, Duration tunnelIdle) {
        return new RouterLimits(maxConnections, requestHead, bodyIdle, tunnelIdle, maxConnectionsPerBackend,
                headBufferBytes, writeBufferBytes);
    }

    public RouterLimits withMaxConnectionsPerBackend(int n) {
        return new RouterLimits(maxConnections, requestHeadTimeout, bodyIdleTimeout, tunnelIdleTimeout,
                n, headBufferBytes, writeBufferBytes);
    }

    public RouterLimits withHeadBufferBytes(long n) {
        return new RouterLimits(maxConnections, requestHeadTimeout, bodyIdleTimeout, tunnelIdleTimeout,
                maxConnectionsPerBackend, n, writeBufferBytes);
    }

    public RouterLimits withWriteBufferBytes(long n) {
        return new RouterLimits(maxConnections, requestHeadTimeout, bodyIdleTimeout, tunnelIdleTimeout,
                maxConnectionsPerBackend, headBufferBytes, n);
    }

    /**
     * Reads a duration as the flags take it: a number with a unit, {@code ms}, {@code s}, {@code m} or
     * {@code h} ({@code 500ms}, {@code 10s}, {@code 1h}); positive.
     */
    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        String unit = t.substring(i);
        long n;
        try {
            n = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            n = -1;
        }
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> null;
        };
        if (d == null || n <= 0 || n > 1_000_000_000L) {
            throw new IllegalArgumentException("a duration is a positive number with a unit ms, s, m or h (e.g. 10s), not \""
                    + text + "\"");
        }
        return d;
    }

    /** A byte count as the flags take it: a positive number, optionally with {@code k} or {@code m} (KiB, MiB). */
    static long parseBytes(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1024;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n > 0 && n < (1L << 40) / unit) {
                return n * unit;
            }
        } catch (NumberFormatException ignored) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("a size is a positive number of bytes, optionally with k or m (e.g. 16m), not \""
                + text + "\"");
    }
}
