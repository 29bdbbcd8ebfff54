package dev.slipway.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keep-alive connections to one backend, owned by one event loop (no locks). Idle connections are
 * reused most-recently-used first, so a few stay warm and the rest age out after the idle timeout.
 */
final class UpstreamPool {
    final Backend backend;
    final LoopContext loop;
    private final ArrayDeque<BackendHandler> idle = new ArrayDeque<>();
    private final Set<BackendHandler> all = new HashSet<>();
    private Bootstrap bootstrap;
    /** Written by the owning loop only; read by the admin API. */
    private volatile int openCount;
    private volatile int idleCount;
    /** Connects under way; with the open ones, what {@link RouterLimits#maxConnectionsPerBackend()} bounds. */
    private int connecting;
    /** Requests of this loop in flight to the backend; written by the owning loop only. */
    volatile int inflight;
    boolean registered;

    UpstreamPool(Backend backend, LoopContext loop) {
        this.backend = backend;
        this.loop = loop;
    }

    int open() {
        return openCount;
    }

    int idle() {
        return idleCount;
    }

    /** A pooled connection that is still open, or null. */
    BackendHandler poll() {
        BackendHandler h;
        while ((h = idle.pollFirst()) != null) {
            if (h.channel.isActive()) {
                idleCount = idle.size();
                return h;
            }
        }
        idleCount = 0;
        return null;
    }

    ChannelFuture connect() {
        if (bootstrap == null) {
            bootstrap = new Bootstrap()
                    .group(loop.loop)
                    .channel(loop.loops.channel)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, loop.connectTimeoutMillis)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast("proxy", new BackendHandler(UpstreamPool.this));
                        }
                    });
        }
        if (!registered) {
            registered = true;
            loop.pools.add(this);
        }
        connecting++;
        ChannelFuture f = bootstrap.connect(backend.address);
        f.addListener(done -> connecting--);
        return f;
    }

    /** True when this loop may open no more connections to the backend. */
    boolean full() {
        return all.size() + connecting >= loop.maxConnectionsPerBackend;
    }

    void opened(BackendHandler h) {
        all.add(h);
        openCount = all.size();
    }

    void closed(BackendHandler h) {
        if (all.remove(h)) {
            openCount = all.size();
        }
        if (idle.remove(h)) {
            idleCount = idle.size();
        }
    }

    /** Takes a connection back after a complete exchange; closes it instead when it should not be kept. */
    void release(BackendHandler h) {
        h.exchange = null;
        if (!h.channel.isActive() || !backend.isActive() || idle.size() >= loop.maxIdlePerBackend) {
            h.channel.close();
            return;
        }
        if (!h.channel.config().isAutoRead()) {
            h.channel.config().setAutoRead(true);
        }
        h.idleSince = System.nanoTime();
        idle.addFirst(h);
        idleCount = idle.size();
    }

    void expireIdle(long now) {
        BackendHandler h;
        while ((h = idle.peekLast()) != null && now - h.idleSince > loop.upstreamIdleNanos) {
            idle.pollLast();
            h.channel.close();
        }
        idleCount = idle.size();
    }

    void closeIdle() {
        BackendHandler h;
        while ((h = idle.pollFirst()) != null) {
            h.channel.close();
        }
        idleCount = 0;
    }

    void closeAll(String why) {
        closeIdle();
        List<BackendHandler> busy = new ArrayList<>(all);
        if (!busy.isEmpty()) {
            Log.warn("backend " + backend + ": closing " + busy.size() + " connection(s) with requests in flight: " + why);
        }
        for (BackendHandler h : busy) {
            h.closeReason = why;
            h.channel.close();
        }
    }
}
