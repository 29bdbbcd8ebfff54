package dev.slipway.router;

import dev.slipway.router.RouteConfig.BackendConfig;
import dev.slipway.router.RouteConfig.BackendState;
import dev.slipway.router.RouteConfig.ServiceConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data plane: the front listeners, the proxy, the admin API, the persisted routes. Start one
 * with {@link #start(RouterOptions)}; {@link RouterMain} runs it as a process, tests run it in-process.
 *
 * <p>Applying a configuration: validate it, bind any new listen ports (a port that cannot be bound
 * rejects the whole config), persist it, then swap each service's routing in one step. Requests in
 * flight keep the backend they were sent to.
 */
public final class Router implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final RouterOptions options;
    private final StateFiles files;
    private final Metrics metrics = new Metrics();
    private final Loops loops;
    private final AtomicInteger frontConnections = new AtomicInteger();
    private final Map<Integer, Listener> listeners = new HashMap<>();
    private final Map<String, Backend> backends = new HashMap<>();
    private final List<Backend> retired = new ArrayList<>();
    private volatile RouteConfig config = RouteConfig.EMPTY;
    private volatile Map<String, ServiceRoute> routes = Map.of();
    private volatile boolean stopping;
    private boolean stopped;
    private AdminServer admin;
    private FileChannel lockChannel;
    private FileLock lock;

    private Router(RouterOptions options) {
        this.options = options;
        this.files = new StateFiles(options.stateDir());
        this.loops = new Loops(Math.max(1, options.ioThreads()), "slipway-router-io", options);
        for (LoopContext c : loops.contexts) {
            c.metrics = metrics;
        }
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        metrics.gauges(frontConnections::get, alloc instanceof ByteBufAllocatorMetricProvider p
                ? () -> p.metric().usedDirectMemory() : () -> -1);
    }

    /**
     * Starts the router: loads routes.json if there is one and serves it, opens the admin API, then
     * writes router.json. Returns once everything is listening.
     */
    public static Router start(RouterOptions options) throws RouterException {
        long t0 = System.nanoTime();
        Router r = new Router(options);
        try {
            r.lockStateDir();
            RouteConfig initial = r.files.loadRoutes();
            for (LoopContext c : r.loops.contexts) {
                c.startSweeping();
            }
            // Serve the persisted routes first; the admin API can come up a moment later.
            boolean missingPorts = initial != null && r.applyPersisted(initial);
            r.admin = AdminServer.start(r, options.adminPort(), options.token(), r.loops);
            if (missingPorts) {
                r.scheduleRebind();
            }
            r.files.saveRouterInfo(ProcessHandle.current().pid(), r.admin.port());
        } catch (RouterException e) {
            r.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw new RouterException(500, "start-failed", "The router could not start",
                    List.of(Backend.describe(e)), e);
        }
        Log.info("router started in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms: admin API on 127.0.0.1:"
                + r.admin.port() + (options.token() == null ? " (no token)" : " (bearer token required)")
                + ", transport " + r.loops.transport() + ", " + r.loops.contexts.length + " io thread(s), state dir "
                + options.stateDir() + ", generation " + r.config.generation() + " with " + r.config.services().size()
                + " service(s)");
        return r;
    }

    public int adminPort() {
        return admin.port();
    }

    public long generation() {
        return config.generation();
    }

    /** Stops accepting, lets in-flight requests finish for up to the shutdown grace, then closes everything. */
    @Override
    public void close() {
        stop(options.shutdownGrace());
    }

    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        stopping = true;
        for (Listener l : listeners.values()) {
            if (l.serverChannel != null) {
                l.serverChannel.close().awaitUninterruptibly(1000);
            }
        }
        listeners.clear();
        for (LoopContext c : loops.contexts) {
            c.loop.execute(() -> c.closeFronts(null));
        }
        long deadline = System.nanoTime() + grace.toNanos();
        int remaining;
        while ((remaining = frontConnections.get()) > 0 && System.nanoTime() - deadline < 0) {
            sleep(20);
        }
        if (remaining > 0) {
            Log.warn("closing " + remaining + " client connection(s) still busy after the " + grace.toMillis()
                    + " ms shutdown grace");
        }
        loops.shutdown(0, 1000);
        if (admin != null) {
            admin.stop();
            try {
                Files.deleteIfExists(files.dir().resolve(StateFiles.ROUTER));
            } catch (IOException e) {
                Log.warn("could not delete " + StateFiles.ROUTER + ": " + e);
            }
        }
        unlockStateDir();
        if (admin != null) {
            Log.info("router stopped");
        }
    }

    boolean isStopping() {
        return stopping;
    }

    /**
     * Admits a new client connection, or refuses it (before any handler or buffer is made for it) when
     * the router holds its maximum already.
     */
    private boolean admit() {
        if (frontConnections.incrementAndGet() > options.limits().maxConnections()) {
            frontConnections.decrementAndGet();
            metrics.rejected[Metrics.REJECT_MAX_CONNECTIONS].increment();
            return false;
        }
        return true;
    }


    // ---------------------------------------------------------------- admin API operations

    RouteConfig config() {
        return config;
    }

    String metricsText() {
        return metrics.render();
    }

    /** PUT /routes: the new generation, or a RouterException (400, 409, 500) with nothing applied. */
    synchronized long apply(String body) throws RouterException {
        if (stopping) {
            throw new RouterException(503, "stopping", "The router is shutting down", List.of());
        }
        RouteConfig parsed = RouteConfigParser.parse(body);
        long current = config.generation();
        if (parsed.generation() >= 0 && parsed.generation() != current) {
            throw new RouterException(409, "generation-conflict", "The routes changed since they were read",
                    List.of("the body is based on generation " + parsed.generation() + " but the router is at generation "
                            + current + "; GET /routes, apply your change to it and PUT it again"));
        }
        RouteConfig next = parsed.withGeneration(current + 1);
        List<Listener> bound = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (ServiceConfig s : next.services().values()) {
            if (!listeners.containsKey(s.listen())) {
                try {
                    bound.add(bind(s.listen()));
                } catch (IOException e) {
                    errors.add("services." + s.name() + ".listen: cannot listen on 127.0.0.1:" + s.listen() + " ("
                            + Backend.describe(e) + "); choose another port or stop what holds it");
                }
            }
        }
        if (!errors.isEmpty()) {
            closeAll(bound);
            throw new RouterException(400, RouteConfigParser.INVALID, "Cannot open the listen ports", errors);
        }
        try {
            files.saveRoutes(next);
        } catch (IOException e) {
            closeAll(bound);
            throw new RouterException(500, "persist-failed", "Could not save the routes; nothing was applied",
                    List.of(files.routes() + ": " + e + "; check the disk and the state directory's permissions"), e);
        }
        install(next, bound);
        return next.generation();
    }

    /** GET /routes/{service}/backends. */
    List<Object> backends(String service) throws RouterException {
        ServiceRoute route = routes.get(service);
        if (route == null) {
            throw new RouterException(404, "unknown-service", "No such service",
                    List.of("service \"" + service + "\" is not in the routes (generation " + config.generation() + ")"
                            + RouteConfigParser.suggest(service, routes.keySet())));
        }
        List<Object> list = new ArrayList<>();
        for (Backend b : route.backends) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", b.id);
            m.put("version", b.version);
            m.put("state", b.state.json());
            m.put("inflight", (long) b.inflight());
            m.put("openConnections", (long) b.openConnections());
            m.put("idleConnections", (long) b.idleConnections());
            list.add(m);
        }
        return list;
    }

    // ---------------------------------------------------------------- applying

    /** Serves a persisted config; true when some listen port could not be bound (yet). */
    private synchronized boolean applyPersisted(RouteConfig persisted) {
        List<Listener> bound = new ArrayList<>();
        for (ServiceConfig s : persisted.services().values()) {
            try {
                bound.add(bind(s.listen()));
            } catch (IOException e) {
                Log.error("service " + s.name() + ": cannot listen on 127.0.0.1:" + s.listen() + " (" + Backend.describe(e)
                        + "); retrying every second");
            }
        }
        install(persisted, bound);
        return bound.size() < persisted.services().size();
    }

    /** After a restart a port may still be held (by the old process, or anyone); keep trying. */
    private void scheduleRebind() {
        admin.eventLoop().schedule(() -> {
            synchronized (this) {
                if (stopping) {
                    return;
                }
                List<Listener> bound = new ArrayList<>();
                for (ServiceConfig s : config.services().values()) {
                    if (!listeners.containsKey(s.listen())) {
                        try {
                            bound.add(bind(s.listen()));
                        } catch (IOException stillBusy) {
                            // logged once when first failing
                        }
                    }
                }
                if (!bound.isEmpty()) {
                    install(config, bound);
                }
                boolean missing = config.services().values().stream().anyMatch(s -> !listeners.containsKey(s.listen()));
                if (missing) {
                    scheduleRebind();
                }
            }
        }, 1, TimeUnit.SECONDS);
    }

    private void install(RouteConfig next, List<Listener> bound) {
        RouteConfig previous = config;
        Map<String, Backend> live = new HashMap<>();
        Map<String, ServiceRoute> nextRoutes = new LinkedHashMap<>();
        Map<Integer, ServiceRoute> byPort = new HashMap<>();
        List<Backend> toDrain = new ArrayList<>();
        for (ServiceConfig s : next.services().values()) {
            List<Backend> list = new ArrayList<>();
            for (BackendConfig bc : s.backends()) {
                String key = Backend.key(s.name(), bc);
                Backend b = backends.get(key);
                if (b == null) {
                    b = new Backend(s.name(), bc.id(), bc.version(), bc.port(), bc.state(), metrics, loops);
                    if (bc.state() != BackendState.ACTIVE) {
                        toDrain.add(b);
                    }
                } else {
                    boolean wasActive = b.isActive();
                    retired.remove(b);
                    b.retired = false;
                    b.state = bc.state();
                    if (wasActive && !b.isActive()) {
                        toDrain.add(b);
                    } else if (!wasActive && b.isActive()) {
                        b.drainEpoch++;
                    }
                }
                live.put(key, b);
                list.add(b);
            }
            ServiceRoute route = new ServiceRoute(s, list, metrics);
            nextRoutes.put(s.name(), route);
            byPort.put(s.listen(), route);
        }
        List<Backend> removed = new ArrayList<>();
        for (Map.Entry<String, Backend> e : backends.entrySet()) {
            if (!live.containsKey(e.getKey())) {
                Backend b = e.getValue();
                boolean wasActive = b.isActive();
                b.retired = true;
                retired.add(b);
                removed.add(b);
                if (wasActive) {
                    toDrain.add(b);
                }
            }
        }
        backends.clear();
        backends.putAll(live);

        // The swap: each port now serves its new route (or nothing).
        for (Listener l : bound) {
            listeners.put(l.port, l);
        }
        List<Listener> closed = new ArrayList<>();
        for (Listener l : listeners.values()) {
            l.route = byPort.get(l.port);
            if (l.route == null) {
                closed.add(l);
            }
        }
        routes = nextRoutes;
        config = next;
        metrics.generation(next.generation());
        for (Listener l : bound) {
            l.serverChannel.config().setAutoRead(true);
            Log.info("listener opened on 127.0.0.1:" + l.port + " for service " + l.route.name);
        }
        for (Listener l : closed) {
            listeners.remove(l.port);
            l.serverChannel.close();
            for (LoopContext c : loops.contexts) {
                c.loop.execute(() -> c.closeFronts(l));
            }
            Log.info("listener closed on 127.0.0.1:" + l.port + " (no service uses it any more)");
        }
        for (Backend b : toDrain) {
            ServiceConfig s = next.services().get(b.service);
            if (s == null) {
                s = previous.services().get(b.service);
            }
            long timeout = s == null ? ServiceConfig.DEFAULT_DRAIN_TIMEOUT_MS : s.drainTimeoutMs();
            b.startDrain(timeout);
            Log.info("backend " + b + " " + (b.retired ? "removed" : "draining") + ": " + b.inflight()
                    + " request(s) in flight, closing its connections after at most " + timeout + " ms");
        }
        retired.removeIf(b -> {
            boolean gone = b.inflight() == 0 && b.openConnections() == 0 && !removed.contains(b);
            if (gone) {
                b.metrics.inflight.remove(b.inflightGauge);
            }
            return gone;
        });
        Log.info("config generation " + next.generation() + " applied: " + describe(next));
    }

    private static String describe(RouteConfig c) {
        if (c.services().isEmpty()) {
            return "no services";
        }
        StringBuilder sb = new StringBuilder();
        for (ServiceConfig s : c.services().values()) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            int active = 0;
            int draining = 0;
            for (BackendConfig b : s.backends()) {
                if (b.state() == BackendState.ACTIVE) {
                    active++;
                } else {
                    draining++;
                }
            }
            sb.append(s.name()).append(" on :").append(s.listen()).append(" (").append(active).append(" active, ")
                    .append(draining).append(" draining");
            if (s.weights() != null) {
                sb.append(", weights ").append(new TreeMap<>(s.weights()));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private Listener bind(int port) throws IOException {
        Listener l = new Listener(port);
        ServerBootstrap b = new ServerBootstrap()
                .group(loops.group)
                .channel(loops.serverChannel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!admit()) {
                            // A reset rather than a FIN: the refused connection leaves no TIME_WAIT here.
                            ch.config().setOption(ChannelOption.SO_LINGER, 0);
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> frontConnections.decrementAndGet());
                        ch.pipeline().addLast("proxy", new FrontendHandler(l, loops.context(ch.eventLoop()), Router.this));
                    }
                });
        ChannelFuture f = b.bind(LOOPBACK, port).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            throw c instanceof IOException io ? io : new IOException(Backend.describe(c), c);
        }
        l.serverChannel = f.channel();
        return l;
    }

    private static void closeAll(List<Listener> bound) {
        for (Listener l : bound) {
            l.serverChannel.close().awaitUninterruptibly(1000);
        }
    }

    // ---------------------------------------------------------------- the state directory's lock

    private void lockStateDir() throws RouterException {
        try {
            Files.createDirectories(options.stateDir());
            lockChannel = FileChannel.open(options.stateDir().resolve("router.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException e) {
            throw new RouterException(500, "state-dir", "Cannot use the state directory " + options.stateDir(),
                    List.of(e + "; check that it is a writable directory"), e);
        }
        if (lock == null) {
            throw new RouterException(500, "state-dir-locked", "Another router uses the state directory " + options.stateDir(),
                    List.of("stop that router first, or give this one its own --state-dir"));
        }
    }

    private void unlockStateDir() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            Log.warn("could not release the state directory lock: " + e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
