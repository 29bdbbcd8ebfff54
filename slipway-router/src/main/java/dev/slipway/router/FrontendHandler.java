package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
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
        loop.fronts.add(this);
        router.frontOpened();
        if (router.isStopping() || listener.route == null) {
            closeWhenIdle = true;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        loop.fronts.remove(this);
        router.frontClosed();
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
        } finally {
            processing = false;
        }
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
            len = parser.find(in.buf);
            if (len == 0) {
                return false;
            }
            parser.parseFields();
            head = RequestHead.parse(parser, clientIp, route == null ? null : route.stickyHeader,
                    route == null ? null : route.stickyCookie, alloc);
        } catch (HttpException e) {
            reject(e);
            return false;
        }
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
        if (ex != null && ctx.channel().isWritable()) {
            ex.clientWritable();
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
        Exchange ex = exchange;
        if (ex != null) {
            ex.checkTimeout(now);
        } else if (now - lastActivity > loop.clientIdleNanos) {
            channel.close();
        }
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
