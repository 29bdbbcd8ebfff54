package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client connection on a service's front port. It owns at most one {@link Exchange} at a time;
 * pipelined requests wait in a queue (and reading pauses) until the one before has been answered.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    /** Reasons to stop reading from the client; reading resumes when none is left. */
    static final int BLOCK_CONNECT = 1;
    static final int BLOCK_BACKPRESSURE = 2;
    static final int BLOCK_PIPELINE = 4;
    static final int BLOCK_UPGRADE = 8;

    final Listener listener;
    final LoopContext loop;
    final Router router;
    Channel channel;
    String clientIp;
    private Exchange exchange;
    private ArrayDeque<Object> pipelined;
    private int readBlockers;
    private long lastActivity;
    private boolean closeWhenIdle;
    private boolean closing;
    private boolean tunnel;
    private boolean draining;

    FrontendHandler(Listener listener, LoopContext loop, Router router) {
        this.listener = listener;
        this.loop = loop;
        this.router = router;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
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
        releasePipelined();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (tunnel) {
            Exchange ex = exchange;
            if (ex != null) {
                ex.tunnelFromClient((ByteBuf) msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (pipelined != null) {
            pipelined.add(msg);
            return;
        }
        Exchange ex = exchange;
        if (ex != null) {
            if (!ex.requestComplete) {
                ex.onClientContent((HttpContent) msg);
                return;
            }
            // HTTP/1.1 pipelining: the next request came before this one's response. Hold it.
            pipelined = new ArrayDeque<>(4);
            pipelined.add(msg);
            block(BLOCK_PIPELINE);
            return;
        }
        handle(msg);
    }

    private void handle(Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            if (req.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                badRequest(req.decoderResult().cause());
                return;
            }
            Exchange ex = new Exchange(this, listener.route, req);
            exchange = ex;
            ex.start();
            if (msg instanceof HttpContent c) {
                ex.onClientContent(c);
            }
        } else {
            // The rest of a request body whose exchange already ended (an early error response).
            ReferenceCountUtil.release(msg);
        }
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
            releasePipelined();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        unblock(BLOCK_CONNECT | BLOCK_BACKPRESSURE | BLOCK_UPGRADE);
        if (pipelined != null) {
            drainPipelined();
        }
    }

    private void drainPipelined() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (pipelined != null && !pipelined.isEmpty() && !closing) {
                Exchange ex = exchange;
                if (ex != null && ex.requestComplete) {
                    break;
                }
                Object m = pipelined.poll();
                if (ex != null) {
                    ex.onClientContent((HttpContent) m);
                } else {
                    handle(m);
                }
                Exchange current = exchange;
                if (current != null) {
                    current.flushUpstream();
                }
            }
            if (pipelined != null && pipelined.isEmpty()) {
                pipelined = null;
                unblock(BLOCK_PIPELINE);
            }
        } finally {
            draining = false;
        }
    }

    /** After a 101: drop the HTTP codec, the bytes that follow belong to the upgraded protocol. */
    void startTunnel() {
        tunnel = true;
        channel.pipeline().remove("http");
        unblock(BLOCK_UPGRADE | BLOCK_CONNECT);
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

    private void badRequest(Throwable cause) {
        closing = true;
        String why = cause == null ? "malformed request" : Backend.describe(cause);
        channel.writeAndFlush(ProxyHeaders.errorResponse(HttpResponseStatus.BAD_REQUEST, "bad request: " + why, false, null))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void releasePipelined() {
        if (pipelined != null) {
            for (Object m : pipelined) {
                ReferenceCountUtil.release(m);
            }
            pipelined = null;
        }
    }
}
