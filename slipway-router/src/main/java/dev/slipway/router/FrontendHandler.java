package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;

import java.net.InetSocketAddress;

/**
 * One client connection on a service's front port: reads request heads and bodies off the wire
 * and hands them to one {@link Exchange} at a time. A pipelined request waits (its bytes stay
 * buffered and reading pauses) until the response before it is complete.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    /** Reasons to stop reading from the client; reading resumes when none is left. */
    static final int BLOCK_CONNECT = 1;
    static final int BLOCK_BACKPRESSURE = 2;
    static final int BLOCK_PIPELINE = 4;

    final Listener listener;
    final LoopContext loop;
    final Router router;
    Channel channel;
    ByteBufAllocator alloc;
    String clientIp;
    private final Cumulation in = new Cumulation();
    private final HeadParser parser = new HeadParser();
    private final BodyFraming body = new BodyFraming();
    private boolean inBody;
    private Exchange exchange;
    private int readBlockers;
    private long lastActivity;
    private boolean closeWhenIdle;
    private boolean closing;
    private boolean tunnel;
    private boolean processing;
    /** Coarse time ({@link LoopContext#now}) of the last read: body and tunnel idle times. */
    long lastRead;
    /** When the head now being received started (or the connection opened); 0 between requests. */
    private long headStarted;
    /** Since when the client takes no bytes off a full outbound buffer; 0 while it does. */
    private long writeStalledSince;
    /** A head is partly here: only new bytes are searched for its end (see {@link #headComplete}). */
    private int headScanFrom = -1;
    /** What this connection counts in its loop's {@link LoopContext#writeBufferBytes} while stalled. */
    private long writeBufferHeld;
    /** What this connection counts in its loop's {@link LoopContext#headBufferBytes}. */
    private long headBufferHeld;

    FrontendHandler(Listener listener, LoopContext loop, Router router) {
        this.listener = listener;
        this.loop = loop;
        this.router = router;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        alloc = ctx.alloc();
        clientIp = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "unknown";
        lastActivity = System.nanoTime();
        // Silence from a new connection is a request head that does not come.
        headStarted = loop.now;
        lastRead = loop.now;
        loop.fronts.add(this);
        if (router.isStopping() || listener.route == null) {
            closeWhenIdle = true;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        loop.fronts.remove(this);
        loop.headBufferBytes -= headBufferHeld;
        headBufferHeld = 0;
        loop.writeBufferBytes -= writeBufferHeld;
        writeBufferHeld = 0;
        Exchange ex = exchange;
        exchange = null;
        if (ex != null) {
            ex.onClientClosed();
        }
        in.release();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        lastRead = loop.now;
        if (tunnel) {
            Exchange ex = exchange;
            if (ex != null) {
                ex.tunnelFromClient(b);
            } else {
                b.release();
            }
            return;
        }
        if (closing) {
            b.release();
            return;
        }
        in.add(alloc, b);
        process();
    }

    /** Turns buffered bytes into requests and body parts, as far as the current exchange allows. */
    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (in.isReadable() && !closing && !tunnel) {
                if (inBody) {
                    int n;
                    try {
                        n = body.consume(in.buf);
                    } catch (HttpException e) {
                        // A broken request body: nothing sensible can follow on this connection.
                        inBody = false;
                        Exchange ex = exchange;
                        if (ex != null) {
                            ex.onInvalidRequestBody(e);
                        }
                        if (!closing) {
                            closing = true;
                            channel.close();
                        }
                        return;
                    }
                    boolean last = body.done;
                    ByteBuf part = n > 0 ? in.take(n) : Unpooled.EMPTY_BUFFER;
                    if (last) {
                        inBody = false;
                    }
                    Exchange ex = exchange;
                    if (ex != null) {
                        ex.onClientBody(part, last);
                    } else {
                        part.release(); // the rest of a request whose exchange ended early
                    }
                    continue;
                }
                if (exchange != null) {
                    // HTTP/1.1 pipelining (or bytes after an upgrade request): wait for the response.
                    block(BLOCK_PIPELINE);
                    break;
                }
                if (!skipEmptyLines()) {
                    break;
                }
                if (!startExchange()) {
                    break;
                }
            }
            in.trim();
            holdHead();
        } finally {
            processing = false;
        }
    }

    /**
     * Accounts the bytes of a request head not yet complete against the loop's budget: heads that
     * trickle in on thousands of connections must not fill the direct memory. Past the budget, the
     * connection whose head grew is refused.
     */
    private void holdHead() {
        long held = 0;
        if (exchange == null && !inBody && !closing && in.buf != null) {
            in.compact(alloc);
            held = in.buf.capacity();
        }
        if (held == 0) {
            headScanFrom = -1;
        } else if (headStarted == 0) {
            headStarted = loop.now;
        }
        if (held != headBufferHeld) {
            boolean within = loop.claimHeadBuffers(headBufferHeld, held);
            headBufferHeld = within ? held : 0;
            if (!within) {
                reject(new HttpException(503, "the router holds too many incomplete request heads; try again"));
            }
        }
    }

    /**
     * A client stopped taking bytes: what waits for it is counted against the loop's budget, so that
     * a thousand clients that stop reading large responses cannot fill the direct memory before the
     * body idle time cuts them. Past the budget, this client is cut now.
     */
    private void holdWrites() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        long held = out == null ? 0 : out.totalPendingWriteBytes();
        if (loop.claimWriteBuffers(held)) {
            writeBufferHeld = held;
        } else {
            closing = true;
            channel.close();
        }
    }

    /**
     * False while the head at the reader index is surely incomplete. Once a read ended inside a head,
     * only the bytes that came since are searched for its end (no copy of the whole head into the
     * parser's heap array on every read: a head trickling in byte by byte costs linear, not quadratic, work).
     */
    private boolean headComplete() {
        if (headScanFrom < 0 || in.hasHeadEnd(headScanFrom)) {
            return true;
        }
        headScanFrom = Math.max(0, in.readableBytes() - 3);
        return in.readableBytes() >= HeadParser.MAX_HEAD; // let the parser refuse it
    }

    /** RFC 9112 2.2: empty lines before a request line are ignored. False when nothing else is left. */
    private boolean skipEmptyLines() {
        ByteBuf b = in.buf;
        while (b.isReadable()) {
            byte c = b.getByte(b.readerIndex());
            if (c != '\r' && c != '\n') {
                return true;
            }
            b.skipBytes(1);
        }
        return false;
    }

    private boolean startExchange() {
        ServiceRoute route = listener.route;
        RequestHead head;
        int len;
        try {
            if (!headComplete()) {
                return false;
            }
            len = parser.find(in.buf);
            if (len == 0) {
                headScanFrom = Math.max(0, in.readableBytes() - 3);
                parser.shrink();
                return false;
            }
            parser.parseFields();
            head = RequestHead.parse(parser, clientIp, route == null ? null : route.stickyHeader,
                    route == null ? null : route.stickyCookie, alloc);
        } catch (HttpException e) {
            reject(e);
            return false;
        }
        if (len > HeadParser.SHRINK_ABOVE) {
            parser.shrink();
        }
        headScanFrom = -1;
        headStarted = 0;
        in.skip(len);
        if (head.framing != BodyFraming.Mode.NONE) {
            body.reset(head.framing, head.contentLength);
            inBody = true;
        }
        Exchange ex = new Exchange(this, route, head);
        exchange = ex;
        ex.start();
        return true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange ex = exchange;
        if (ex != null) {
            ex.flushUpstream();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange ex = exchange;
        boolean writable = ctx.channel().isWritable();
        if (!writable) {
            if (writeStalledSince == 0) {
                writeStalledSince = loop.now;
                holdWrites();
            }
        } else {
            writeStalledSince = 0;
            loop.writeBufferBytes -= writeBufferHeld;
            writeBufferHeld = 0;
            if (ex != null) {
                ex.clientWritable();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Connection resets and the like: the client is gone; channelInactive cleans up.
        ctx.close();
    }

    void block(int reason) {
        int before = readBlockers;
        readBlockers |= reason;
        if (before == 0) {
            channel.config().setAutoRead(false);
        }
    }

    void unblock(int reasons) {
        if ((readBlockers & reasons) == 0) {
            return;
        }
        readBlockers &= ~reasons;
        if (readBlockers == 0) {
            channel.config().setAutoRead(true);
        }
    }

    /** The exchange answered the client (or gave up); the connection serves the next request or closes. */
    void exchangeFinished(Exchange ex, boolean keepAlive) {
        if (exchange != ex) {
            return;
        }
        exchange = null;
        lastActivity = System.nanoTime();
        headStarted = 0;
        if (!keepAlive || closeWhenIdle) {
            closing = true;
            in.release();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        unblock(BLOCK_CONNECT | BLOCK_BACKPRESSURE | BLOCK_PIPELINE);
        if (in.isReadable()) {
            process();
            Exchange next = exchange;
            if (next != null) {
                next.flushUpstream();
            }
        }
    }

    /**
     * The exchange's response was cut off: the connection is reset (SO_LINGER 0), since closing it
     * cleanly would end a body delimited by the close as if it were whole.
     */
    void abort(Exchange ex) {
        if (exchange != ex) {
            return;
        }
        exchange = null;
        closing = true;
        in.release();
        if (channel.isActive()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (ChannelException closedMeanwhile) {
                // the client is gone already: nothing to reset
            }
        }
        channel.close();
    }

    /** After a 101: the bytes that follow belong to the upgraded protocol. */
    void startTunnel() {
        tunnel = true;
        unblock(BLOCK_PIPELINE | BLOCK_CONNECT);
        if (in.isReadable()) {
            exchange.tunnelFromClient(in.take(in.readableBytes()));
        }
    }

    void sweep(long now) {
        if (closing) {
            return;
        }
        Exchange ex = exchange;
        if (writeStalledSince != 0 && now - writeStalledSince > loop.bodyIdleNanos && !tunnel) {
            // A client that stopped reading keeps a response's buffers (up to the watermark) forever.
            cut(Metrics.TIMEOUT_CLIENT_WRITE);
        } else if (ex != null) {
            if (inBody && readBlockers == 0 && now - lastRead > loop.bodyIdleNanos) {
                cut(Metrics.TIMEOUT_CLIENT_BODY);
            } else {
                ex.checkTimeout(now);
            }
        } else if (headStarted != 0) {
            if (now - headStarted > loop.requestHeadNanos) {
                loop.timedOut(Metrics.TIMEOUT_REQUEST_HEAD);
                reject(new HttpException(408, "the request head did not arrive within "
                        + loop.limits.requestHeadTimeout().toMillis() + " ms"));
            }
        } else if (now - lastActivity > loop.clientIdleNanos) {
            loop.timedOut(Metrics.TIMEOUT_KEEP_ALIVE);
            channel.close();
        }
    }

    /** Ends the connection (and so its exchange) because a limit's time ran out. */
    void cut(int kind) {
        loop.timedOut(kind);
        closing = true;
        channel.close();
    }

    /** Close once the current exchange (if any) is done: the listener was removed, or the router stops. */
    void closeWhenIdle() {
        closeWhenIdle = true;
        if (exchange == null) {
            channel.close();
        }
    }

    boolean closeRequested() {
        return closeWhenIdle;
    }

    private void reject(HttpException e) {
        closing = true;
        in.release();
        channel.writeAndFlush(ProxyHeaders.errorResponse(e.status, e.getMessage(), false, null))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
