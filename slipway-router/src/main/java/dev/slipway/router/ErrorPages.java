package dev.slipway.router;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The answers the router makes itself when proxying fails (502, 503, 504). Their causes name backend
 * ids, ports and OS errors ("Connection refused: /127.0.0.1:42001"), which are the operator's business,
 * not the client's: the client gets the status, a fixed sentence and a short request id; the router's
 * log gets the cause under that id.
 *
 * <p>The log stays "one line per event, never one per request" under an outage or an abusive client:
 * at most {@link #LINES_PER_SECOND} such lines a second, then one line counting those left out.
 */
final class ErrorPages {
    static final int LINES_PER_SECOND = 50;
    private static final AtomicLong second = new AtomicLong();
    private static final AtomicInteger lines = new AtomicInteger();
    private static final AtomicInteger skipped = new AtomicInteger();

    private ErrorPages() {
    }

    /**
     * The response for a failed proxied request; logs {@code cause} (what went wrong, with backend ids
     * and OS errors) with the request id the client sees. {@code version} (the X-Slipway-Version
     * value) may be null.
     */
    static ByteBuf proxyError(int status, String cause, boolean keepAlive, byte[] version) {
        String id = newId();
        log(id, status, cause, System.nanoTime() / 1_000_000_000L);
        return ProxyHeaders.errorResponse(status, sentence(status) + " (request id " + id + ")", keepAlive, version, id);
    }

    /** What the client is told: the same for every cause of a status. */
    static String sentence(int status) {
        return switch (status) {
            case 400 -> "the request's body broke its framing";
            case 502 -> "the service failed to answer";
            case 503 -> "the service is not available";
            case 504 -> "the service did not answer in time";
            default -> "the request failed";
        };
    }

    /** 8 hex digits: enough to find the line in the log, too short to mean anything else. */
    static String newId() {
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /** Logs the cause, unless {@link #LINES_PER_SECOND} lines were logged in second {@code now} already. */
    static void log(String id, int status, String cause, long now) {
        long was = second.get();
        if (now != was && second.compareAndSet(was, now)) {
            lines.set(0);
            int left = skipped.getAndSet(0);
            if (left > 0) {
                Log.warn(left + " more failed requests were not logged (at most " + LINES_PER_SECOND + " a second)");
            }
        }
        if (lines.incrementAndGet() > LINES_PER_SECOND) {
            skipped.incrementAndGet();
            return;
        }
        Log.warn("request " + id + " answered " + status + ": " + cause);
    }
}
