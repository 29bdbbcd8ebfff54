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
    final int index;
    final EventLoop loop;
    final Loops loops;
    final long clientIdleNanos;
    final long upstreamIdleNanos;
    final long responseHeaderTimeoutNanos;
    final int connectTimeoutMillis;
    final int maxIdlePerBackend;
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
    }

    void startSweeping() {
        loop.scheduleWithFixedDelay(this::sweep, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        long now = System.nanoTime();
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
