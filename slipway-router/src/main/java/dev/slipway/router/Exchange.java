package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

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
 * before any byte of a response: the race where a backend closes a pooled keep-alive connection
 * just as it is reused. Then exactly once, on a fresh connection.
 */
final class Exchange {
    private static final int MAX_ATTEMPTS = 4;
    private static final int REPLAY_LIMIT = 64 * 1024;

    private final FrontendHandler front;
    private final Channel client;
    private final ServiceRoute route;
    private final HttpRequest request;
    private final long start;
    private boolean clientKeepAlive;
    private boolean http10;
    private boolean idempotent;
    private boolean head;
    private boolean upgrade;
    /** No Content-Length (or 0) and not chunked: the request is complete with its headers. */
    private boolean noBody;
    private String pinned;

    private Backend backend;
    private boolean counted;
    private BackendHandler upstream;
    private final Backend[] tried = new Backend[MAX_ATTEMPTS + 1];
    private int triedCount;
    private boolean replayed;

    /** Request body not yet written upstream or, while replayable, all of it. */
    private ArrayList<HttpContent> body;
    private boolean lastInBody;
    private boolean replayable;
    boolean requestComplete;
    private boolean upstreamDirty;
    private boolean clientDirty;

    private boolean interim;
    private boolean switching;
    private boolean tunnel;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private boolean closeClient;
    private int status;
    private long awaitingSince;
    private boolean finished;

    Exchange(FrontendHandler front, ServiceRoute route, HttpRequest request) {
        this.front = front;
        this.client = front.channel;
        this.route = route;
        this.request = request;
        this.start = System.nanoTime();
    }

    void start() {
        if (route == null) {
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "no service is configured on port " + front.listener.port);
            return;
        }
        HttpHeaders h = request.headers();
        HttpMethod method = request.method();
        http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        clientKeepAlive = HttpUtil.isKeepAlive(request);
        head = method.equals(HttpMethod.HEAD);
        idempotent = head || method.equals(HttpMethod.GET) || method.equals(HttpMethod.PUT)
                || method.equals(HttpMethod.DELETE) || method.equals(HttpMethod.OPTIONS) || method.equals(HttpMethod.TRACE);
        replayable = idempotent && bodyFitsReplay(h);
        noBody = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
        pinned = h.get(ProxyHeaders.X_SLIPWAY_VERSION);
        String cookies = h.get(HttpHeaderNames.COOKIE);
        if (pinned == null && cookies != null) {
            pinned = ProxyHeaders.cookie(cookies, ProxyHeaders.PIN_COOKIE);
        }
        String stickyKey = null;
        if (pinned == null) {
            if (route.stickyHeader != null) {
                stickyKey = h.get(route.stickyHeader);
            }
            if (stickyKey == null && route.stickyCookie != null && cookies != null) {
                stickyKey = ProxyHeaders.cookie(cookies, route.stickyCookie);
            }
        }
        boolean expectContinue = HttpUtil.is100ContinueExpected(request);
        upgrade = ProxyHeaders.prepareRequest(request, front.clientIp, expectContinue);

        Backend b;
        if (pinned != null) {
            b = route.pick(pinned, tried, 0);
            if (b == null) {
                fail(HttpResponseStatus.SERVICE_UNAVAILABLE, (route.hasVersion(pinned) ? "no active backend of version "
                        : "service " + route.name + " has no version ") + pinned
                        + (route.hasVersion(pinned) ? " for service " + route.name : "")
                        + " (pinned by the X-Slipway-Version header or the " + ProxyHeaders.PIN_COOKIE + " cookie)");
                return;
            }
        } else {
            String version = route.chooseVersion(stickyKey);
            b = version == null ? null : route.pick(version, tried, 0);
            if (b == null) {
                b = route.pickOtherVersion(tried, 0);
            }
            if (b == null) {
                fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "no active backend for service " + route.name);
                return;
            }
        }
        if (expectContinue) {
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER), client.voidPromise());
        }
        dispatch(b, false, true);
    }

    private static boolean bodyFitsReplay(HttpHeaders h) {
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return false;
        }
        String cl = h.get(HttpHeaderNames.CONTENT_LENGTH);
        if (cl == null) {
            return true;
        }
        try {
            return Long.parseLong(cl.trim()) <= REPLAY_LIMIT;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- choosing and connecting

    /**
     * @param fresh      open a new connection rather than reuse a pooled one
     * @param flushLater true inside the client's read (its read-complete flushes); false from callbacks
     */
    private void dispatch(Backend b, boolean fresh, boolean flushLater) {
        backend = b;
        if (triedCount < tried.length) {
            tried[triedCount++] = b;
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
        fail(HttpResponseStatus.BAD_GATEWAY, "could not connect to backend " + failed.id + " of service " + route.name
                + " (" + Backend.describe(future.cause()) + ")"
                + (triedCount > 1 ? " nor to any other backend it may use" : ""));
    }

    private Backend nextBackend() {
        if (triedCount >= MAX_ATTEMPTS) {
            return null;
        }
        Backend n = route.pick(backend.version, tried, triedCount);
        if (n == null && pinned == null) {
            n = route.pickOtherVersion(tried, triedCount);
        }
        return n;
    }

    private void attach(BackendHandler h, boolean flushNow) {
        upstream = h;
        h.exchange = this;
        Channel ch = h.channel;
        ch.write(request, ch.voidPromise());
        if (body != null) {
            for (HttpContent c : body) {
                ch.write(replayable ? c.retainedDuplicate() : c, ch.voidPromise());
            }
            if (!replayable) {
                body = null;
            }
        }
        if (requestComplete) {
            if (!lastInBody) {
                ch.write(LastHttpContent.EMPTY_LAST_CONTENT, ch.voidPromise());
            }
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

    void onClientContent(HttpContent c) {
        if (finished) {
            c.release();
            return;
        }
        if (c.decoderResult().isFailure()) {
            c.release();
            client.close(); // a broken request body: nothing sensible to forward
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
            if (upgrade) {
                // The bytes after an upgrade request belong to the new protocol: wait for the 101.
                front.block(FrontendHandler.BLOCK_UPGRADE);
            }
        }
        BackendHandler h = upstream;
        if (c == LastHttpContent.EMPTY_LAST_CONTENT) {
            if (h != null) {
                h.channel.write(c, h.channel.voidPromise());
                upstreamDirty = true;
                awaitingSince = System.nanoTime();
            }
            return;
        }
        if (replayable || h == null) {
            if (body == null) {
                body = new ArrayList<>(4);
            }
            body.add(c);
            lastInBody |= last;
            if (h != null) {
                h.channel.write(c.retainedDuplicate(), h.channel.voidPromise());
            }
        } else {
            h.channel.write(c, h.channel.voidPromise());
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

    /** Returns false when the response was rejected (the caller releases it). */
    boolean onUpstreamResponse(BackendHandler h, HttpResponse r) {
        if (h != upstream || finished) {
            return false;
        }
        if (r.decoderResult().isFailure()) {
            detach(h).channel.close();
            fail(HttpResponseStatus.BAD_GATEWAY, "backend " + backend.id + " sent an invalid response ("
                    + Backend.describe(r.decoderResult().cause()) + ")");
            return false;
        }
        int code = r.status().code();
        HttpHeaders rh = r.headers();
        if (code < 200 && code != 101) {
            interim = true;
            ProxyHeaders.stripHopByHop(rh);
            client.write(r, client.voidPromise());
            clientDirty = true;
            return true;
        }
        responseStarted = true;
        releaseBody();
        awaitingSince = 0;
        status = code;
        rh.set(ProxyHeaders.X_SLIPWAY_VERSION, backend.versionHeader);
        if (code == 101) {
            if (!upgrade) {
                detach(h).channel.close();
                fail(HttpResponseStatus.BAD_GATEWAY, "backend " + backend.id + " switched protocols without being asked");
                return false;
            }
            switching = true;
            client.write(r, client.voidPromise());
            clientDirty = true;
            return true;
        }
        upstreamKeepAlive = HttpUtil.isKeepAlive(r);
        ProxyHeaders.stripHopByHop(rh);
        rh.remove(HttpHeaderNames.UPGRADE);
        boolean bodyless = head || code == 204 || code == 304;
        if (http10 && HttpUtil.isTransferEncodingChunked(r)) {
            // HTTP/1.0 has no chunked encoding: send the bytes as they come and end with a close.
            rh.remove(HttpHeaderNames.TRANSFER_ENCODING);
            closeClient = true;
        } else if (!bodyless && !rh.contains(HttpHeaderNames.CONTENT_LENGTH) && !HttpUtil.isTransferEncodingChunked(r)) {
            // Delimited by the backend closing: re-frame as chunked so the client connection survives.
            if (http10) {
                closeClient = true;
            } else {
                HttpUtil.setTransferEncodingChunked(r, true);
            }
        }
        if (!clientKeepAlive || closeClient || front.closeRequested()) {
            closeClient = true;
            rh.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            rh.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        client.write(r, client.voidPromise());
        clientDirty = true;
        return true;
    }

    void onUpstreamContent(BackendHandler h, HttpContent c) {
        if (h != upstream || finished) {
            c.release();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (interim) {
            interim = !last;
            client.write(c, client.voidPromise());
            clientDirty = true;
            return;
        }
        client.write(c, client.voidPromise());
        clientDirty = true;
        if (switching) {
            if (last) {
                startTunnel(h);
            }
            return;
        }
        if (last) {
            complete(h);
        } else if (!client.isWritable()) {
            h.channel.config().setAutoRead(false);
        }
    }

    private void complete(BackendHandler h) {
        finished = true;
        long elapsed = System.nanoTime() - start;
        backend.metrics.record(Metrics.Series.codeIndex(status), elapsed);
        detach(h);
        if (upstreamKeepAlive && requestComplete) {
            h.pool.release(h);
        } else {
            h.channel.close();
        }
        releaseBackend();
        flushClient();
        front.exchangeFinished(this, clientKeepAlive && requestComplete && !closeClient);
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

    void onUpstreamClosed(BackendHandler h, Throwable cause) {
        if (h != upstream || finished) {
            return;
        }
        upstream = null;
        if (tunnel) {
            closeTunnel(client);
            return;
        }
        if (!responseStarted && !interim && !switching) {
            if (replayable && !replayed && h.closeReason == null) {
                // The stale keep-alive race: safe to send once more, on a fresh connection.
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
            fail(HttpResponseStatus.BAD_GATEWAY, "backend " + backend.id + " of service " + route.name
                    + " closed the connection before responding (" + h.describeClose() + ")"
                    + (idempotent ? "" : "; a " + request.method() + " is never sent twice"));
            return;
        }
        // The response was cut off: the client can only learn that from the connection closing.
        finished = true;
        backend.metrics.record(Metrics.ERROR, System.nanoTime() - start);
        releaseBackend();
        releaseBody();
        flushClient();
        front.exchangeFinished(this, false);
    }

    void checkTimeout(long now) {
        if (awaitingSince != 0 && !finished && now - awaitingSince > front.loop.responseHeaderTimeoutNanos) {
            BackendHandler h = upstream;
            if (h != null) {
                detach(h).channel.close();
            }
            fail(HttpResponseStatus.GATEWAY_TIMEOUT, "backend " + backend.id + " of service " + route.name
                    + " did not answer within " + front.loop.responseHeaderTimeoutNanos / 1_000_000_000L + " s");
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

    private void fail(HttpResponseStatus st, String message) {
        if (finished) {
            return;
        }
        finished = true;
        BackendHandler h = upstream;
        if (h != null) {
            detach(h).channel.close();
        }
        if (backend != null) {
            backend.metrics.record(Metrics.ERROR, System.nanoTime() - start);
        } else if (route != null) {
            route.unrouted.record(Metrics.ERROR, System.nanoTime() - start);
        }
        releaseBackend();
        releaseBody();
        if (responseStarted) {
            flushClient();
            front.exchangeFinished(this, false);
            return;
        }
        boolean keepAlive = clientKeepAlive && (requestComplete || noBody) && !front.closeRequested();
        client.write(ProxyHeaders.errorResponse(st, message, keepAlive, backend), client.voidPromise());
        clientDirty = true;
        flushClient();
        front.exchangeFinished(this, keepAlive);
    }

    // ---------------------------------------------------------------- upgraded connections

    private void startTunnel(BackendHandler h) {
        switching = false;
        tunnel = true;
        backend.metrics.record(Metrics.Series.codeIndex(101), System.nanoTime() - start);
        h.tunnel = true;
        h.channel.pipeline().remove("http");
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

    private void releaseBody() {
        if (body != null) {
            for (HttpContent c : body) {
                c.release();
            }
            body = null;
        }
        replayable = false;
    }
}
