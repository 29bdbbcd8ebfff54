package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayList;
import java.util.List;

/**
 * The end of one upstream (router to backend) connection: reads response heads and bodies and
 * hands them to the {@link Exchange} that leased the connection. While idle in the pool, any byte
 * or close just ends the connection.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private static final int SMALL_BODY = 4096;
    final UpstreamPool pool;
    Channel channel;
    /** The exchange using this connection; null while idle in the pool. */
    Exchange exchange;
    long idleSince;
    /** After a 101: raw bytes both ways. */
    boolean tunnel;
    /** Why the router itself closed this connection (drain timeout, shutdown), for the client's 502. */
    String closeReason;
    /** Coarse time ({@link LoopContext#now}) of the last read, and since when the backend takes no bytes. */
    long lastRead;
    long writeStalledSince;
    private Throwable failure;
    /** Exchanges this connection was leased to; more than one means it came from the pool. */
    private int leases;
    /** Whether any byte came back since the last lease. */
    boolean answered;
    private final Cumulation in = new Cumulation();
    private final HeadParser parser = new HeadParser();
    private final BodyFraming body = new BodyFraming();
    private boolean inBody;
    private boolean headRequest;
    /** Pass only the data of a chunked body (to an HTTP/1.0 client). */
    private boolean dechunk;
    private List<ByteBuf> dataParts;

    BackendHandler(UpstreamPool pool) {
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The connect future completes before channelActive runs; the channel must be known by then.
        channel = ctx.channel();
    }

    /** A new request goes out on this connection: expect its response. */
    void lease(Exchange ex, boolean head) {
        exchange = ex;
        leases++;
        answered = false;
        headRequest = head;
        inBody = false;
        dechunk = false;
    }

    /** Whether this connection served an exchange before the current one (it was pooled). */
    boolean reused() {
        return leases > 1;
    }

    void dechunk() {
        dechunk = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        lastRead = pool.loop.now;
        Exchange ex = exchange;
        if (ex == null) {
            // Bytes nobody asked for (e.g. a 408 before the backend closes an idle connection).
            b.release();
            ctx.close();
            return;
        }
        answered = true;
        if (tunnel) {
            ex.tunnelFromUpstream(b);
            return;
        }
        in.add(ctx.alloc(), b);
        try {
            process();
        } catch (HttpException e) {
            in.release();
            Exchange current = exchange;
            exchange = null;
            ctx.close();
            if (current != null) {
                current.onInvalidResponse(this, e.getMessage());
            }
        }
    }

    private void process() throws HttpException {
        while (in.isReadable()) {
            Exchange ex = exchange;
            if (ex == null) {
                // More bytes than the response: this connection cannot be trusted with another request.
                in.release();
                channel.close();
                return;
            }
            if (tunnel) {
                ex.tunnelFromUpstream(in.take(in.readableBytes()));
                return;
            }
            if (inBody) {
                readBody(ex);
                continue;
            }
            int len = parser.find(in.buf);
            if (len == 0) {
                break;
            }
            parser.parseFields();
            ResponseHead r = ResponseHead.parse(parser, headRequest);
            in.skip(len);
            if (r.status < 200 && r.status != 101) {
                ex.onInterimResponse(this, parser, r);
                continue;
            }
            if (r.framing == BodyFraming.Mode.LENGTH && r.contentLength <= SMALL_BODY
                    && in.readableBytes() >= r.contentLength) {
                // The usual small response, whole in this read: head and body go out as one buffer.
                int n = (int) r.contentLength;
                ByteBuf buf = in.buf;
                int index = buf.readerIndex();
                in.skip(n);
                ex.onResponseHead(this, parser, r, true, buf, index, n);
                continue;
            }
            if (r.framing != BodyFraming.Mode.NONE) {
                body.reset(r.framing, r.contentLength);
                inBody = true;
            }
            ex.onResponseHead(this, parser, r, !inBody, null, 0, 0);
            if (len > HeadParser.SHRINK_ABOVE) {
                parser.shrink();
            }
        }
        in.trim();
    }

    private void readBody(Exchange ex) throws HttpException {
        if (!dechunk) {
            int n = body.consume(in.buf);
            boolean last = body.done;
            if (last) {
                inBody = false;
            }
            ex.onResponseBody(this, n > 0 ? in.take(n) : Unpooled.EMPTY_BUFFER, last);
            return;
        }
        if (dataParts == null) {
            dataParts = new ArrayList<>(4);
        }
        body.dataSink = (buf, index, length) -> dataParts.add(buf.retainedSlice(index, length));
        int n = body.consume(in.buf);
        in.skip(n);
        boolean last = body.done;
        if (last) {
            inBody = false;
        }
        for (int i = 0; i < dataParts.size(); i++) {
            ex.onResponseBody(this, dataParts.get(i), false);
        }
        dataParts.clear();
        if (last) {
            ex.onResponseBody(this, Unpooled.EMPTY_BUFFER, true);
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
        if (!ctx.channel().isWritable()) {
            if (writeStalledSince == 0) {
                writeStalledSince = pool.loop.now;
            }
        } else {
            writeStalledSince = 0;
            if (ex != null) {
                ex.upstreamWritable();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.closed(this);
        Exchange ex = exchange;
        if (ex != null && inBody && body.mode == BodyFraming.Mode.UNTIL_CLOSE && !tunnel && failure == null
                && closeReason == null) {
            // A body delimited by the connection closing ends here, on a clean close only: after a
            // reset or the router's own close (drain timeout) it is cut off, and the client must not
            // get it as whole.
            inBody = false;
            ex.onResponseBody(this, Unpooled.EMPTY_BUFFER, true);
        }
        ex = exchange;
        exchange = null;
        in.release();
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
