package dev.slipway.router;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin API on 127.0.0.1, on its own thread so that applying a config (binding ports, fsync)
 * never stalls the proxy. Every error has one shape: {@code {"title","status","type","details"}}.
 *
 * <pre>
 * GET /health                    200 {"status":"UP","generation":N}       (no token needed)
 * GET /routes                    the current configuration
 * PUT /routes                    the full configuration; 200 {"generation":N}, 400, 409
 * GET /routes/{service}/backends [{"id","version","state","inflight","openConnections","idleConnections"}]
 * GET /metrics                   Prometheus text format
 * </pre>
 */
final class AdminServer {
    /**
     * A PUT /routes body. A service takes about 200 bytes plus 100 per backend, so a configuration
     * of 1,000 services with 10 backends each is about 1.2 MB: 2 MiB leaves room over that, and
     * nobody can make the router hold more than this per connection.
     */
    static final int MAX_BODY = 2 * 1024 * 1024;
    /** A connection with nothing to read or write for this long is closed. */
    static final int IDLE_SECONDS = 30;
    /** Connections at once; the control plane uses a handful. */
    static final int MAX_CONNECTIONS = 64;

    private final MultiThreadIoEventLoopGroup group;
    private final Channel channel;

    private AdminServer(MultiThreadIoEventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    static AdminServer start(Router router, int port, String token, Loops loops) throws IOException {
        // Its own thread, so a PUT (binding ports, fsync) never stalls the proxy; the proxy's transport,
        // so starting does not load a second one.
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("slipway-router-admin", true), loops.ioHandlerFactory());
        byte[] expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        AtomicInteger open = new AtomicInteger();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(loops.serverChannel)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (open.incrementAndGet() > MAX_CONNECTIONS) {
                            open.decrementAndGet();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS), new HttpServerCodec(),
                                new Gate(expected), new HttpObjectAggregator(MAX_BODY), new Handler(router, expected));
                    }
                });
        var f = b.bind(InetAddress.getLoopbackAddress(), port).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
            throw new IOException("cannot listen on 127.0.0.1:" + port + " for the admin API ("
                    + Backend.describe(f.cause()) + "); choose another --admin-port, or 0 for any free one", f.cause());
        }
        return new AdminServer(group, f.channel());
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    void stop() {
        channel.close().awaitUninterruptibly(1000);
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(1500);
    }

    /**
     * Looks at a request's head before its body is read: a request without the token, or announcing a
     * body over {@link #MAX_BODY}, is answered at once and the connection closed, so nobody without the
     * token can make the router buffer anything. Also closes idle connections.
     */
    private static final class Gate extends ChannelInboundHandlerAdapter {
        private final byte[] expectedAuthorization;
        private boolean discarding;

        Gate(byte[] expectedAuthorization) {
            this.expectedAuthorization = expectedAuthorization;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                RouterException refused = null;
                String path = new QueryStringDecoder(req.uri()).path();
                if (!path.equals("/health") && !authorized(req, expectedAuthorization)) {
                    refused = unauthorized();
                } else if (announced(req) > MAX_BODY) {
                    refused = new RouterException(413, "too-large", "Request body too large",
                            List.of("the admin API takes bodies up to " + MAX_BODY / (1024 * 1024) + " MiB"));
                }
                if (refused != null) {
                    discarding = true;
                    ReferenceCountUtil.release(msg);
                    FullHttpResponse res = Handler.error(refused);
                    HttpUtil.setContentLength(res, res.content().readableBytes());
                    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                discarding = false;
            }
            if (discarding) {
                ReferenceCountUtil.release(msg);
                return;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** The Content-Length, 0 without one; a malformed one is left to the codec's failure report. */
    private static long announced(HttpRequest req) {
        try {
            return HttpUtil.getContentLength(req, 0L);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean authorized(HttpRequest req, byte[] expected) {
        if (expected == null) {
            return true;
        }
        String given = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected);
    }

    static RouterException unauthorized() {
        return new RouterException(401, "unauthorized", "Missing or wrong bearer token",
                List.of("send 'Authorization: Bearer <token>' with the content of the router's --token-file"));
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Router router;
        private final byte[] expectedAuthorization;

        Handler(Router router, byte[] expectedAuthorization) {
            this.router = router;
            this.expectedAuthorization = expectedAuthorization;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            FullHttpResponse res;
            try {
                res = route(req);
            } catch (RouterException e) {
                res = error(e);
            } catch (RuntimeException e) {
                Log.error("admin API: " + req.method() + " " + req.uri() + " failed: " + e);
                res = json(HttpResponseStatus.INTERNAL_SERVER_ERROR, new RouterException(500, "internal",
                        "The router failed to handle the request", List.of(String.valueOf(e))).toJson());
            }
            HttpUtil.setContentLength(res, res.content().readableBytes());
            if (!keepAlive) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(res);
            }
        }

        private FullHttpResponse route(FullHttpRequest req) throws RouterException {
            if (req.decoderResult().isFailure()) {
                throw new RouterException(400, "bad-request", "Malformed request",
                        List.of(Backend.describe(req.decoderResult().cause())));
            }
            String path = new QueryStringDecoder(req.uri()).path();
            HttpMethod method = req.method();
            if (path.equals("/health")) {
                allow(method, "GET");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", "UP");
                m.put("generation", router.generation());
                return json(HttpResponseStatus.OK, m);
            }
            authorize(req);
            if (path.equals("/routes")) {
                if (method.equals(HttpMethod.PUT)) {
                    long g = router.apply(req.content().toString(StandardCharsets.UTF_8));
                    return json(HttpResponseStatus.OK, Map.of("generation", g));
                }
                allow(method, "GET, PUT");
                return json(HttpResponseStatus.OK, router.config().toJson());
            }
            if (path.equals("/metrics")) {
                allow(method, "GET");
                ByteBuf body = Unpooled.copiedBuffer(router.metricsText(), StandardCharsets.UTF_8);
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                return r;
            }
            if (path.startsWith("/routes/") && path.endsWith("/backends")) {
                String service = path.substring("/routes/".length(), path.length() - "/backends".length());
                if (!service.isEmpty() && service.indexOf('/') < 0) {
                    allow(method, "GET");
                    return json(HttpResponseStatus.OK, router.backends(service));
                }
            }
            throw new RouterException(404, "not-found", "No such endpoint",
                    List.of(method + " " + path + " is not part of the admin API; see GET /health, GET|PUT /routes, "
                            + "GET /routes/{service}/backends, GET /metrics"));
        }

        private void authorize(FullHttpRequest req) throws RouterException {
            if (!authorized(req, expectedAuthorization)) {
                throw unauthorized();
            }
        }

        static FullHttpResponse error(RouterException e) {
            FullHttpResponse res = json(HttpResponseStatus.valueOf(e.status()), e.toJson());
            if (e.status() == 401) {
                res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"slipway-router\"");
            }
            return res;
        }

        private static void allow(HttpMethod method, String allowed) throws RouterException {
            for (String m : allowed.split(", ")) {
                if (method.name().equals(m)) {
                    return;
                }
            }
            throw new RouterException(405, "method-not-allowed", "Method not allowed",
                    List.of(method + " is not allowed here; allowed: " + allowed));
        }

        private static FullHttpResponse json(HttpResponseStatus status, Object body) {
            byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
