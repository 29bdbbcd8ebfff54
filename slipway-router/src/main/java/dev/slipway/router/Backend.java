package dev.slipway.router;

import dev.slipway.router.RouteConfig.BackendState;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * One backend at run time: its state, its in-flight count (for least-outstanding-requests and
 * for draining), its connection pools (one per event loop) and its metrics series. The same object
 * survives config changes as long as service, id, version and port stay the same.
 */
final class Backend {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long MIN_EJECT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long MAX_EJECT_NANOS = TimeUnit.SECONDS.toNanos(5);

    final String service;
    final String id;
    final String version;
    final int port;
    /** The version as the X-Slipway-Version value, in bytes. */
    final byte[] versionBytes;
    final InetSocketAddress address;
    final Metrics.Series metrics;
    /** For the metrics gauge; kept as a field so it can be removed again by identity. */
    final IntSupplier inflightGauge = this::inflight;
    final UpstreamPool[] pools;

    volatile BackendState state;
    /** No longer in the configuration; kept until its last request and connection are gone. */
    volatile boolean retired;
    /** Bumped on every drain start and on reactivation, so a stale drain deadline does nothing. */
    volatile long drainEpoch;
    /** While connects keep failing, pick other backends first until this time (System.nanoTime). */
    private volatile long ejectedUntil;
    private final AtomicInteger connectFailures = new AtomicInteger();

    Backend(String service, String id, String version, int port, BackendState state, Metrics metrics, Loops loops) {
        this.service = service;
        this.id = id;
        this.version = version;
        this.port = port;
        this.state = state;
        this.versionBytes = version.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        this.address = new InetSocketAddress(LOOPBACK, port);
        this.metrics = metrics.series(service, version, id);
        this.metrics.inflight.add(inflightGauge);
        this.pools = new UpstreamPool[loops.contexts.length];
        for (int i = 0; i < pools.length; i++) {
            pools[i] = new UpstreamPool(this, loops.contexts[i]);
        }
    }

    static String key(String service, RouteConfig.BackendConfig b) {
        return service + '/' + b.id() + '/' + b.version() + '/' + b.port();
    }

    boolean isActive() {
        return state == BackendState.ACTIVE && !retired;
    }

    boolean isEjected(long now) {
        long until = ejectedUntil;
        return until != 0 && now - until < 0;
    }

    void connectSucceeded() {
        if (connectFailures.get() != 0 && connectFailures.getAndSet(0) != 0) {
            ejectedUntil = 0;
            Log.info("backend " + service + "/" + id + " (127.0.0.1:" + port + ") accepts connections again");
        }
    }

    void connectFailed(Throwable cause) {
        metrics.connectErrors.increment();
        int n = connectFailures.incrementAndGet();
        long eject = Math.min(MAX_EJECT_NANOS, MIN_EJECT_NANOS << Math.min(n - 1, 5));
        ejectedUntil = System.nanoTime() + eject;
        if (n == 1) {
            Log.warn("backend " + service + "/" + id + " (127.0.0.1:" + port + ") refused a connection ("
                    + describe(cause) + "); trying other backends first while it keeps failing");
        }
    }

    /**
     * Requests sent here and not finished, over all event loops. Each loop counts its own (no
     * shared counter bouncing between cores on every request); the sum is exact when nothing moves.
     */
    int inflight() {
        int n = 0;
        for (UpstreamPool p : pools) {
            n += p.inflight;
        }
        return n;
    }

    void requestStarted(UpstreamPool pool) {
        pool.inflight++;
    }

    /** One request finished (or moved to another backend). */
    void requestDone(UpstreamPool pool) {
        pool.inflight--;
        if (!isActive() && inflight() == 0) {
            Log.info("backend " + service + "/" + id + " drained: no requests in flight");
        }
    }

    int openConnections() {
        int n = 0;
        for (UpstreamPool p : pools) {
            n += p.open();
        }
        return n;
    }

    int idleConnections() {
        int n = 0;
        for (UpstreamPool p : pools) {
            n += p.idle();
        }
        return n;
    }

    /** Stops pooling: closes idle connections now and all connections when the deadline passes. */
    void startDrain(long timeoutMillis) {
        long epoch = ++drainEpoch;
        for (UpstreamPool p : pools) {
            p.loop.loop.execute(p::closeIdle);
            p.loop.loop.schedule(() -> {
                if (drainEpoch == epoch && !isActive()) {
                    p.closeAll("drain timeout of " + timeoutMillis + " ms passed");
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    @Override
    public String toString() {
        return service + "/" + id;
    }
}
