package dev.slipway.router;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one event loop owns: its client connections and the upstream pools it has used. Touched
 * only from that loop's thread, so nothing here is synchronized. A sweep every 500 ms closes idle
 * client and pooled connections and times out responses that never came.
 */
final class LoopContext {
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    final int index;
    final EventLoop loop;
    final Loops loops;
    final long clientIdleNanos;
    final long upstreamIdleNanos;
    final long responseHeaderTimeoutNanos;
    final int connectTimeoutMillis;
    final int maxIdlePerBackend;
    /** The limits' times plus the sweep period: taken from the coarse clock, a limit never fires early. */
    final long requestHeadNanos;
    final long bodyIdleNanos;
    final long tunnelIdleNanos;
    final RouterLimits limits;
    /** This loop's share of {@link RouterLimits#maxConnectionsPerBackend()} (its pools are its own). */
    final int maxConnectionsPerBackend;
    /** This loop's share of {@link RouterLimits#headBufferBytes()}, and what its connections hold of it. */
    final long headBufferBudget;
    long headBufferBytes;
    /** This loop's share of {@link RouterLimits#writeBufferBytes()}, and what its stalled clients hold of it. */
    final long writeBufferBudget;
    long writeBufferBytes;
    /**
     * A coarse clock (System.nanoTime at the last sweep) for the limits' timestamps: marking progress
     * on every read then costs a field write, not a clock call. The limits are seconds; 500 ms is fine.
     */
    long now = System.nanoTime();
    /** Set by the router after the loops are made; the limits' counters. */
    Metrics metrics;
    final List<FrontendHandler> fronts = new ArrayList<>();
    final List<UpstreamPool> pools = new ArrayList<>();

    LoopContext(int index, EventLoop loop, Loops loops, RouterOptions options) {
        this.index = index;
        this.loop = loop;
        this.loops = loops;
        this.clientIdleNanos = options.clientIdleTimeout().toNanos();
        this.upstreamIdleNanos = options.upstreamIdleTimeout().toNanos();
        this.responseHeaderTimeoutNanos = options.responseHeaderTimeout().toNanos();
        this.connectTimeoutMillis = (int) Math.max(1, options.connectTimeout().toMillis());
        this.maxIdlePerBackend = options.maxIdlePerBackend();
        RouterLimits limits = options.limits();
        int loopCount = Math.max(1, options.ioThreads());
        this.limits = limits;
        this.requestHeadNanos = limits.requestHeadTimeout().toNanos() + SWEEP_NANOS;
        this.bodyIdleNanos = limits.bodyIdleTimeout().toNanos() + SWEEP_NANOS;
        this.tunnelIdleNanos = limits.tunnelIdleTimeout().toNanos() + SWEEP_NANOS;
        this.maxConnectionsPerBackend = Math.max(1, (limits.maxConnectionsPerBackend() + loopCount - 1) / loopCount);
        this.headBufferBudget = Math.max(64 * 1024, limits.headBufferBytes() / loopCount);
        this.writeBufferBudget = Math.max(64 * 1024, limits.writeBufferBytes() / loopCount);
    }

    /**
     * Moves a connection's claim on the head buffers from {@code before} to {@code after} bytes. False
     * (and the claim dropped, counted as a rejection) when growing it would pass the budget.
     */
    boolean claimHeadBuffers(long before, long after) {
        headBufferBytes += after - before;
        if (after > before && headBufferBytes > headBufferBudget) {
            headBufferBytes -= after;
            metrics.rejected[Metrics.REJECT_HEAD_BUFFERS].increment();
            return false;
        }
        return true;
    }

    /** Claims {@code bytes} of the write buffers for a stalled client; false (counted) when over the budget. */
    boolean claimWriteBuffers(long bytes) {
        if (writeBufferBytes + bytes > writeBufferBudget) {
            metrics.rejected[Metrics.REJECT_WRITE_BUFFERS].increment();
            return false;
        }
        writeBufferBytes += bytes;
        return true;
    }

    void timedOut(int kind) {
        metrics.timeouts[kind].increment();
    }

    void startSweeping() {
        loop.scheduleWithFixedDelay(this::sweep, SWEEP_NANOS, SWEEP_NANOS, TimeUnit.NANOSECONDS);
    }

    private void sweep() {
        long now = System.nanoTime();
        this.now = now;
        for (FrontendHandler f : fronts.toArray(new FrontendHandler[0])) {
            f.sweep(now);
        }
        for (int i = pools.size() - 1; i >= 0; i--) {
            UpstreamPool p = pools.get(i);
            p.expireIdle(now);
            if (p.backend.retired && p.open() == 0) {
                pools.remove(i);
                p.registered = false;
            }
        }
    }

    /** Closes client connections of a removed listener (or all, on shutdown) once they are idle. */
    void closeFronts(Listener listener) {
        for (FrontendHandler f : fronts.toArray(new FrontendHandler[0])) {
            if (listener == null || f.listener == listener) {
                f.closeWhenIdle();
            }
        }
    }
}
