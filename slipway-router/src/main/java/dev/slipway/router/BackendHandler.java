package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of one upstream (router to backend) connection. While leased it hands everything to its
 * {@link Exchange}; while idle in the pool any data or close just ends the connection.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    final UpstreamPool pool;
    Channel channel;
    /** The exchange using this connection; null while idle in the pool. */
    Exchange exchange;
    long idleSince;
    /** After a 101: raw bytes both ways. */
    boolean tunnel;
    /** Why the router itself closed this connection (drain timeout, shutdown), for the client's 502. */
    String closeReason;
    private Throwable failure;

    BackendHandler(UpstreamPool pool) {
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The connect future completes before channelActive runs; the channel must be known by then.
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange ex = exchange;
        if (ex == null) {
            // A response nobody asked for (e.g. a 408 before the backend closes an idle connection).
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (tunnel) {
            ex.tunnelFromUpstream((ByteBuf) msg);
            return;
        }
        if (msg instanceof HttpResponse r) {
            if (!ex.onUpstreamResponse(this, r)) {
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (msg instanceof HttpContent c) {
            ex.onUpstreamContent(this, c);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange ex = exchange;
        if (ex != null) {
            ex.flushClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange ex = exchange;
        if (ex != null && ctx.channel().isWritable()) {
            ex.upstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.closed(this);
        Exchange ex = exchange;
        exchange = null;
        if (ex != null) {
            ex.onUpstreamClosed(this, failure);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    String describeClose() {
        if (closeReason != null) {
            return closeReason;
        }
        return failure == null ? "connection closed" : Backend.describe(failure);
    }
}
