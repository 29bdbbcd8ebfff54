package dev.slipway.router;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and the transport (epoll when the native library loads, NIO otherwise). Each
 * loop has a {@link LoopContext}; a client connection and every upstream connection it uses live on
 * the same loop, so a request never hops threads.
 */
final class Loops {
    final MultiThreadIoEventLoopGroup group;
    final boolean epoll;
    final Class<? extends ServerChannel> serverChannel;
    final Class<? extends Channel> channel;
    final LoopContext[] contexts;

    Loops(int threads, String name, RouterOptions options) {
        this.epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), ioHandlerFactory());
        this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.channel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        List<LoopContext> list = new ArrayList<>();
        for (EventExecutor e : group) {
            list.add(new LoopContext(list.size(), (EventLoop) e, this, options));
        }
        this.contexts = list.toArray(new LoopContext[0]);
    }

    IoHandlerFactory ioHandlerFactory() {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    String transport() {
        return epoll ? "epoll" : "nio (" + Epoll.unavailabilityCause() + ")";
    }

    LoopContext context(EventLoop loop) {
        for (LoopContext c : contexts) {
            if (c.loop == loop) {
                return c;
            }
        }
        throw new IllegalStateException("not one of the router's event loops: " + loop);
    }

    void shutdown(long quietMillis, long timeoutMillis) {
        group.shutdownGracefully(quietMillis, timeoutMillis, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeoutMillis + 1000);
    }
}
