package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * One request through the router: choose a backend, lease (or open) a connection to it, stream the
 * request up and the response down, retry where that is safe, record metrics, hand the connection
 * back. Lives on its client connection's event loop; every method runs there.
 *
 * <p>Retry rules: a connection that cannot be established never carried the request, so another
 * backend is tried (same version first; an unpinned request may then go to any version by weight).
 * Once bytes were written, the request is sent again only if its method is idempotent, its whole
 * body is still in hand (none, or a known length up to 64 KiB) and the backend closed the connection
 * before any byte of a response on a connection reused from the pool: the race where a backend
 * closes a pooled keep-alive connection just as it is reused. Then exactly once, on a fresh
 * connection. A response cut off after it started resets the client connection.
 */
final class Exchange {
    private static final int MAX_ATTEMPTS = 4;
    private static final int REPLAY_LIMIT = 64 * 1024;
    private static final byte[] CRLF = RequestHead.ascii("\r\n");
    private static final byte[] LAST_CHUNK = RequestHead.ascii("0\r\n\r\n");
    private static final Backend[] NONE_TRIED = new Backend[0];

    private final FrontendHandler front;
    private final Channel client;
    private final ServiceRoute route;
    private final RequestHead req;
    private final long start;

    private Backend backend;
    private Backend first;
    private boolean counted;
    private BackendHandler upstream;
    /** Backends tried so far, for retries; the first one needs no array. */
    private Backend[] tried = NONE_TRIED;
    private int triedCount;
    private boolean replayed;

    /** Request body not yet written upstream or, while replayable, all of it. */
    private ArrayList<ByteBuf> body;
    private boolean replayable;
    private boolean requestComplete;
    private boolean upstreamDirty;
    private boolean clientDirty;

    private boolean interimSent;
    private boolean tunnel;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private boolean closeClient;
    private boolean rechunk;
    private int status;
    private long awaitingSince;
    private boolean finished;
    private boolean clientFault;

    Exchange(FrontendHandler front, ServiceRoute route, RequestHead req) {
        this.front = front;
        this.client = front.channel;
        this.route = route;
        this.req = req;
        this.start = System.nanoTime();
        if (route != null && !route.pinning) {
            req.pinned = null; // this service lets no client choose its version: routed by weight like any other
        }
        this.requestComplete = req.framing == BodyFraming.Mode.NONE;
        this.replayable = req.idempotent && (req.framing == BodyFraming.Mode.NONE
                || (req.framing == BodyFraming.Mode.LENGTH && req.contentLength <= REPLAY_LIMIT));
    }

    void start() {
        if (route == null) {
            fail(503, "no service is configured on port " + front.listener.port);
            return;
        }
        String pinned = req.pinned;
        Backend b;
        if (pinned != null) {
            b = route.pick(pinned, tried, 0);
            if (b == null) {
                fail(503, (route.hasVersion(pinned) ? "no active backend of version " + pinned + " for service " + route.name
                        : "service " + route.name + " has no version " + pinned)
                        + " (pinned by the X-Slipway-Version header or the " + ProxyHeaders.PIN_COOKIE + " cookie)");
                return;
            }
        } else {
            String version = route.chooseVersion(req.stickyKey);
            b = version == null ? null : route.pick(version, tried, 0);
            if (b == null) {
                b = route.pickOtherVersion(tried, 0);
            }
            if (b == null) {
                fail(503, "no active backend for service " + route.name);
                return;
            }
        }
        if (req.expectContinue) {
            // Answered here, as nginx does: the backend never sees the Expect.
            client.writeAndFlush(ProxyHeaders.CONTINUE.duplicate(), client.voidPromise());
        }
        dispatch(b, false, true);
    }

    // ---------------------------------------------------------------- choosing and connecting

    /**
     * @param fresh      open a new connection rather than reuse a pooled one
     * @param flushLater true inside the client's read (its read-complete flushes); false from callbacks
     */
    private void dispatch(Backend b, boolean fresh, boolean flushLater) {
        backend = b;
        if (triedCount == 0) {
            first = b;
            triedCount = 1;
        } else if (triedCount <= MAX_ATTEMPTS) {
            tried()[triedCount++] = b;
        }
        UpstreamPool pool = b.pools[front.loop.index];
        b.requestStarted(pool);
        counted = true;
        if (!fresh) {
            BackendHandler h = pool.poll();
            if (h != null) {
                attach(h, !flushLater);
                return;
            }
        }
        if (pool.full()) {
            backendFull(pool);
            return;
        }
        front.block(FrontendHandler.BLOCK_CONNECT);
        ChannelFuture f = pool.connect();
        f.addListener((ChannelFutureListener) future -> onConnected(pool, future));
    }

    private void onConnected(UpstreamPool pool, ChannelFuture future) {
        front.unblock(FrontendHandler.BLOCK_CONNECT);
        if (future.isSuccess()) {
            pool.backend.connectSucceeded();
            BackendHandler h = future.channel().pipeline().get(BackendHandler.class);
            if (h != null) {
                pool.opened(h);
            }
            if (finished || pool.backend != backend || h == null) {
                if (h != null) {
                    pool.release(h);
                }
                return;
            }
            attach(h, true);
            return;
        }
        pool.backend.connectFailed(future.cause());
        if (finished || pool.backend != backend) {
            return;
        }
        Backend failed = backend;
        releaseBackend();
        Backend next = nextBackend();
        if (next != null) {
            route.counters.retries.increment();
            dispatch(next, false, false);
            return;
        }
        fail(502, "could not connect to backend " + failed.id + " of service " + route.name
                + " (" + Backend.describe(future.cause()) + ")"
                + (triedCount > 1 ? " nor to any other backend it may use" : ""));
    }

    /** Every connection the limit allows to this backend is busy: another backend, or a 503. */
    private void backendFull(UpstreamPool pool) {
        Backend full = backend;
        releaseBackend();
        Backend next = nextBackend();
        if (next != null) {
            dispatch(next, false, false);
            return;
        }
        front.loop.metrics.backendBusy.increment();
        fail(503, "backend " + full.id + " of service " + route.name + " has all its " + pool.open()
                + " connections busy" + (triedCount > 1 ? ", and so has every other backend it may use" : ""));
    }

    private Backend nextBackend() {
        if (triedCount >= MAX_ATTEMPTS) {
            return null;
        }
        Backend n = route.pick(backend.version, tried(), triedCount);
        if (n == null && req.pinned == null) {
            n = route.pickOtherVersion(tried(), triedCount);
        }
        return n;
    }

    private void attach(BackendHandler h, boolean flushNow) {
        upstream = h;
        h.lease(this, req.headMethod);
        Channel ch = h.channel;
        if (replayable) {
            // Kept for a replay: each connection gets its own view of the bytes.
            ch.write(req.upstream.retainedDuplicate(), ch.voidPromise());
        } else {
            ch.write(req.upstream, ch.voidPromise());
            req.upstream = null;
        }
        if (body != null) {
            for (ByteBuf part : body) {
                ch.write(replayable ? part.retainedDuplicate() : part, ch.voidPromise());
            }
            if (!replayable) {
                body = null;
            }
        }
        if (requestComplete) {
            awaitingSince = System.nanoTime();
        }
        upstreamDirty = true;
        if (flushNow) {
            flushUpstream();
        }
        if (!ch.isWritable()) {
            front.block(FrontendHandler.BLOCK_BACKPRESSURE);
        }
    }

    // ---------------------------------------------------------------- client to backend

    /** A part of the request body (possibly empty when {@code last}); the exchange owns it. */
    void onClientBody(ByteBuf part, boolean last) {
        if (finished) {
            part.release();
            return;
        }
        if (last) {
            requestComplete = true;
        }
        BackendHandler h = upstream;
        if (part.isReadable()) {
            if (replayable || h == null) {
                if (body == null) {
                    body = new ArrayList<>(4);
                }
                body.add(part);
                if (h != null) {
                    h.channel.write(part.retainedDuplicate(), h.channel.voidPromise());
                }
            } else {
                h.channel.write(part, h.channel.voidPromise());
            }
        } else {
            part.release();
        }
        if (h != null) {
            upstreamDirty = true;
            if (last) {
                awaitingSince = System.nanoTime();
            }
            if (!h.channel.isWritable()) {
                front.block(FrontendHandler.BLOCK_BACKPRESSURE);
            }
        }
    }

    void flushUpstream() {
        if (upstreamDirty) {
            upstreamDirty = false;
            BackendHandler h = upstream;
            if (h != null) {
                h.channel.flush();
            }
        }
    }

    void upstreamWritable() {
        front.unblock(FrontendHandler.BLOCK_BACKPRESSURE);
    }

    // ---------------------------------------------------------------- backend to client

    /** 100 Continue, 103 Early Hints: passed on; the final response follows. */
    void onInterimResponse(BackendHandler h, HeadParser p, ResponseHead r) {
        if (h != upstream || finished) {
            return;
        }
        interimSent = true;
        client.write(ResponseHead.write(p, r, null, 0, front.alloc), client.voidPromise());
        clientDirty = true;
    }

    /**
     * The final response's head; {@code complete} when nothing follows (no body, or the whole body
     * is the {@code bodyLength} bytes at {@code bodyIndex} of {@code bodyBuf}, copied right after the head).
     */
    void onResponseHead(BackendHandler h, HeadParser p, ResponseHead r, boolean complete, ByteBuf bodyBuf, int bodyIndex,
                        int bodyLength) {
        if (h != upstream || finished) {
            return;
        }
        responseStarted = true;
        releaseBody();
        awaitingSince = 0;
        status = r.status;
        if (r.status == 101) {
            if (!req.upgrade) {
                detach(h).channel.close();
                fail(502, "backend " + backend.id + " switched protocols without being asked");
                return;
            }
            client.write(ResponseHead.write(p, r, versionHeader(), 0, front.alloc), client.voidPromise());
            clientDirty = true;
            startTunnel(h);
            return;
        }
        upstreamKeepAlive = r.keepAlive;
        int flags = 0;
        if (req.http10 && r.framing == BodyFraming.Mode.CHUNKED) {
            // HTTP/1.0 has no chunked encoding: send the data as it comes and end with a close.
            flags |= ResponseHead.DECHUNK;
            h.dechunk();
            closeClient = true;
        } else if (r.framing == BodyFraming.Mode.UNTIL_CLOSE) {
            // Delimited by the backend closing: re-frame as chunked so the client connection survives.
            if (req.http10) {
                closeClient = true;
            } else {
                flags |= ResponseHead.RECHUNK;
                rechunk = true;
            }
        }
        if (!req.keepAlive || closeClient || front.closeRequested()) {
            closeClient = true;
            flags |= ResponseHead.CLOSE;
        } else if (req.http10) {
            flags |= ResponseHead.KEEP_ALIVE;
        }
        ByteBuf head = ResponseHead.write(p, r, versionHeader(), flags, front.alloc, bodyLength);
        if (bodyLength > 0) {
            head.writeBytes(bodyBuf, bodyIndex, bodyLength);
        }
        client.write(head, client.voidPromise());
        clientDirty = true;
        if (complete) {
            complete(h);
        }
    }

    /** A part of the response body (possibly empty when {@code last}); the exchange owns it. */
    void onResponseBody(BackendHandler h, ByteBuf part, boolean last) {
        if (h != upstream || finished) {
            part.release();
            return;
        }
        if (rechunk) {
            int n = part.readableBytes();
            if (n > 0) {
                client.write(Unpooled.wrappedBuffer((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII)),
                        client.voidPromise());
                client.write(part, client.voidPromise());
                client.write(Unpooled.wrappedBuffer(CRLF), client.voidPromise());
            } else {
                part.release();
            }
            if (last) {
                client.write(Unpooled.wrappedBuffer(LAST_CHUNK), client.voidPromise());
            }
        } else {
            client.write(part, client.voidPromise());
        }
        clientDirty = true;
        if (last) {
            complete(h);
        } else if (!client.isWritable()) {
            h.channel.config().setAutoRead(false);
        }
    }

    private void complete(BackendHandler h) {
        finished = true;
        backend.metrics.record(Metrics.Series.codeIndex(status), System.nanoTime() - start, req.pinned != null);
        detach(h);
        if (upstreamKeepAlive && requestComplete) {
            h.pool.release(h);
        } else {
            h.channel.close();
        }
        releaseBackend();
        flushClient();
        front.exchangeFinished(this, req.keepAlive && requestComplete && !closeClient);
    }

    void flushClient() {
        if (clientDirty) {
            clientDirty = false;
            client.flush();
        }
    }

    void clientWritable() {
        BackendHandler h = upstream;
        if (h != null && !h.channel.config().isAutoRead()) {
            h.channel.config().setAutoRead(true);
        }
    }

    // ---------------------------------------------------------------- failures

    void onInvalidResponse(BackendHandler h, String why) {
        if (h != upstream || finished) {
            return;
        }
        detach(h);
        fail(502, "backend " + backend.id + " sent an invalid response (" + why + ")");
    }

    /**
     * The request body broke its framing: refused (the backend's connection is closed mid-request), and
     * counted as a client abort, not as the backend's error.
     */
    void onInvalidRequestBody(HttpException e) {
        clientFault = true;
        fail(e.status, "invalid request body: " + e.getMessage());
    }

    void onUpstreamClosed(BackendHandler h, Throwable cause) {
        if (h != upstream || finished) {
            return;
        }
        upstream = null;
        if (tunnel) {
            closeTunnel(client);
            return;
        }
        if (!responseStarted && !interimSent) {
            if (replayable && !replayed && h.closeReason == null && h.reused() && !h.answered) {
                // The stale keep-alive race: safe to send once more, on a fresh connection. A fresh
                // connection that took the request and died is the backend failing it: no replay.
                replayed = true;
                Backend previous = backend;
                releaseBackend();
                Backend next = nextBackend();
                if (next == null && previous.isActive()) {
                    next = previous;
                }
                if (next != null) {
                    route.counters.retries.increment();
                    front.unblock(FrontendHandler.BLOCK_BACKPRESSURE);
                    dispatch(next, true, false);
                    return;
                }
            }
            fail(502, "backend " + backend.id + " of service " + route.name + " closed the connection before responding ("
                    + h.describeClose() + ")" + (!req.idempotent ? "; a " + req.method + " is never sent twice"
                    : h.reused() || replayed ? "" : "; not sent again: it had reached the backend on a new connection"));
            return;
        }
        // The response was cut off: the client can only learn that from the connection closing.
        fail(502, "backend closed the connection in the middle of the response");
    }

    void checkTimeout(long now) {
        BackendHandler up = upstream;
        if (up != null && !finished) {
            LoopContext loop = front.loop;
            if (tunnel) {
                if (now - Math.max(front.lastRead, up.lastRead) > loop.tunnelIdleNanos) {
                    front.cut(Metrics.TIMEOUT_TUNNEL_IDLE);
                }
                return;
            }
            if (up.writeStalledSince != 0 && now - up.writeStalledSince > loop.bodyIdleNanos) {
                loop.timedOut(Metrics.TIMEOUT_UPSTREAM_WRITE);
                detach(up).channel.close();
                fail(504, "backend " + backend.id + " of service " + route.name + " took no request bytes for "
                        + loop.limits.bodyIdleTimeout().toMillis() + " ms");
                return;
            }
            if (responseStarted && up.channel.config().isAutoRead() && now - up.lastRead > loop.bodyIdleNanos) {
                // The client then learns of the cut from its connection closing, as for any cut-off response.
                loop.timedOut(Metrics.TIMEOUT_UPSTREAM_BODY);
                detach(up).channel.close();
                fail(502, "backend sent no response bytes for " + loop.limits.bodyIdleTimeout().toMillis() + " ms");
                return;
            }
        }
        if (awaitingSince != 0 && !finished && now - awaitingSince > front.loop.responseHeaderTimeoutNanos) {
            BackendHandler h = upstream;
            if (h != null) {
                detach(h).channel.close();
            }
            fail(504, "backend " + backend.id + " of service " + route.name + " did not answer within "
                    + front.loop.responseHeaderTimeoutNanos / 1_000_000_000L + " s");
        }
    }

    void onClientClosed() {
        if (finished) {
            return;
        }
        BackendHandler h = upstream;
        if (tunnel) {
            if (h != null) {
                detach(h);
                closeTunnel(h.channel);
            }
            return;
        }
        finished = true;
        if (h != null) {
            detach(h).channel.close();
        }
        if (route != null) {
            route.counters.clientAborts.increment();
        }
        releaseBackend();
        releaseBody();
    }

    private void fail(int st, String message) {
        if (finished) {
            return;
        }
        finished = true;
        BackendHandler h = upstream;
        if (h != null) {
            detach(h).channel.close();
        }
        if (clientFault && route != null) {
            route.counters.clientAborts.increment();
        } else if (backend != null) {
            backend.metrics.record(Metrics.ERROR, System.nanoTime() - start, req.pinned != null);
        } else if (route != null) {
            route.unrouted.record(Metrics.ERROR, System.nanoTime() - start, req.pinned != null);
        }
        releaseBackend();
        releaseBody();
        if (responseStarted) {
            // A cut-off response: reset the client connection, as a clean close could end it whole.
            flushClient();
            front.abort(this);
            return;
        }
        boolean keepAlive = req.keepAlive && requestComplete && !front.closeRequested();
        client.write(ErrorPages.proxyError(st, message, keepAlive, backend == null ? null : versionHeader()),
                client.voidPromise());
        clientDirty = true;
        flushClient();
        front.exchangeFinished(this, keepAlive);
    }

    // ---------------------------------------------------------------- upgraded connections

    private void startTunnel(BackendHandler h) {
        tunnel = true;
        backend.metrics.record(Metrics.Series.codeIndex(101), System.nanoTime() - start, req.pinned != null);
        h.tunnel = true;
        flushClient();
        front.startTunnel();
    }

    void tunnelFromClient(ByteBuf b) {
        BackendHandler h = upstream;
        if (h == null || finished) {
            b.release();
            return;
        }
        h.channel.write(b, h.channel.voidPromise());
        upstreamDirty = true;
        if (!h.channel.isWritable()) {
            front.block(FrontendHandler.BLOCK_BACKPRESSURE);
        }
    }

    void tunnelFromUpstream(ByteBuf b) {
        if (finished) {
            b.release();
            return;
        }
        client.write(b, client.voidPromise());
        clientDirty = true;
        BackendHandler h = upstream;
        if (h != null && !client.isWritable()) {
            h.channel.config().setAutoRead(false);
        }
    }

    private void closeTunnel(Channel other) {
        finished = true;
        releaseBackend();
        other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    // ---------------------------------------------------------------- helpers

    /** The X-Slipway-Version value for the client, or null where the service does not show it. */
    private byte[] versionHeader() {
        return route.versionHeader ? backend.versionBytes : null;
    }

    /** The backends tried so far; an array only once a retry needs one. */
    private Backend[] tried() {
        if (tried.length == 0) {
            tried = new Backend[MAX_ATTEMPTS + 1];
            tried[0] = first;
        }
        return tried;
    }

    private BackendHandler detach(BackendHandler h) {
        if (upstream == h) {
            upstream = null;
        }
        h.exchange = null;
        return h;
    }

    private void releaseBackend() {
        if (counted) {
            counted = false;
            backend.requestDone(backend.pools[front.loop.index]);
        }
    }

    /** Once the response started (or the exchange ended) the request will not be sent again. */
    private void releaseBody() {
        if (body != null) {
            for (ByteBuf part : body) {
                part.release();
            }
            body = null;
        }
        if (req.upstream != null) {
            req.upstream.release();
            req.upstream = null;
        }
        replayable = false;
    }
}
