package dev.slipway.router;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP backend on 127.0.0.1:0 for the router's tests. Answers every request with its name
 * ({@code X-Backend} header and body); {@code /slow?ms=N} answers after N ms; {@code /status/N}
 * answers N; {@code /big?bytes=N} answers N bytes; {@code /ws} is a WebSocket echo. Counts connections and
 * requests as the backend sees them.
 */
final class TestBackend implements AutoCloseable {
    final String name;
    final AtomicInteger acceptedConnections = new AtomicInteger();
    final AtomicInteger openConnections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicReference<HttpHeaders> lastHeaders = new AtomicReference<>();
    private final MultiThreadIoEventLoopGroup group;
    private final Channel channel;

    private TestBackend(String name, int port, int threads) {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        acceptedConnections.incrementAndGet();
                        openConnections.incrementAndGet();
                        ch.closeFuture().addListener(f -> openConnections.decrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new WebSocketServerProtocolHandler("/ws"), new Echo(), new Handler());
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), port).syncUninterruptibly().channel();
    }

    static TestBackend start(String name) {
        return new TestBackend(name, 0, 1);
    }

    static TestBackend start(String name, int threads) {
        return new TestBackend(name, 0, threads);
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** Off-heap, so a write of it is not first copied off-heap (16 MiB per response) by the NIO transport. */
    private static ByteBuf bigBody = Unpooled.EMPTY_BUFFER;

    private static synchronized ByteBuf big(int n) {
        if (bigBody.capacity() < n) {
            ByteBuf b = Unpooled.directBuffer(n, n);
            b.writerIndex(n);
            b.setZero(0, n);
            bigBody = b;
        }
        return bigBody.retainedSlice(0, n);
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            requests.incrementAndGet();
            lastHeaders.set(req.headers().copy());
            String uri = req.uri();
            HttpResponseStatus status = HttpResponseStatus.OK;
            long delay = 0;
            if (uri.startsWith("/slow")) {
                delay = Long.parseLong(uri.substring(uri.indexOf("ms=") + 3));
            } else if (uri.startsWith("/status/")) {
                status = HttpResponseStatus.valueOf(Integer.parseInt(uri.substring("/status/".length())));
            }
            ByteBuf body = uri.startsWith("/big")
                    // Slices of one buffer: a thousand such responses in flight cost no copies here.
                    ? big(Integer.parseInt(uri.substring(uri.indexOf("bytes=") + 6)))
                    : Unpooled.wrappedBuffer((name + "\n").getBytes(StandardCharsets.UTF_8));
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            res.headers().set("x-backend", name);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(res, res.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Runnable send = () -> {
                if (keepAlive) {
                    ctx.writeAndFlush(res);
                } else {
                    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                }
            };
            if (delay > 0) {
                ctx.executor().schedule(send, delay, TimeUnit.MILLISECONDS);
            } else {
                send.run();
            }
        }
    }

    private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ctx.writeAndFlush(new TextWebSocketFrame("echo: " + frame.text()));
        }
    }
}
