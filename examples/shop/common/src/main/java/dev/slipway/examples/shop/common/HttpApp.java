package dev.slipway.examples.shop.common;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The skeleton every service runs on: an HTTP server (the JDK's {@code com.sun.net.httpserver})
 * with routing, health and version endpoints, the {@code X-App-Version} header, fault
 * injection, one log line per request and graceful shutdown on SIGTERM.
 *
 * <p>A service's {@code main} calls {@link #run}, whose {@link Startup} registers routes,
 * readiness checks and resources to close, then calls {@link #listen()} and does any slow
 * start-up work while {@code /health/ready} still says "starting".
 */
public final class HttpApp {

  /** Requests with larger bodies are refused: no endpoint needs more. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final int SHUTDOWN_GRACE_SECONDS = 5;
  private static final int MAX_REQUEST_THREADS = 200;

  /** A service's start-up: everything between reading configuration and being ready. */
  @FunctionalInterface
  public interface Startup {
    /** Configures and starts the service; returning means it is ready to be probed. */
    void start(HttpApp app) throws Exception;
  }

  private final String service;
  private final Env env;
  private final Faults faults;
  private final String version;
  private final int port;
  private final String bindAddress;
  private final Readiness readiness;
  private final Router router = new Router();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private HttpServer server;
  private ExecutorService executor;

  private HttpApp(String service, Env env, Faults faults, long startedNanos) {
    this.readiness = new Readiness(startedNanos);
    this.service = service;
    this.env = env;
    this.faults = faults;
    this.version = env.get("APP_VERSION", "dev");
    // Read now so that a bad PORT fails the start before any connection is attempted.
    this.port = env.port("PORT");
    this.bindAddress = env.get("BIND_ADDRESS", "127.0.0.1");
  }

  /**
   * Starts a service: reads the common configuration, honours {@code FAULT_CRASH_ON_START}, runs
   * {@code startup} and marks the service started. Exits with status 1, after one clear log line,
   * on a configuration error or a failed start-up.
   */
  public static void run(String service, Startup startup) {
    long started = System.nanoTime();
    Log.setService(service);
    try {
      Env env = Env.system();
      Faults faults = Faults.fromEnv(env);
      if (faults.crashOnStart()) {
        Log.error("FAULT_CRASH_ON_START is set: exiting with status 1 on purpose");
        System.exit(1);
      }
      HttpApp app = new HttpApp(service, env, faults, started);
      startup.start(app);
      app.listen();
      app.readiness.markStarted();
    } catch (Env.ConfigException e) {
      Log.error("configuration error: " + e.getMessage());
      System.exit(1);
    } catch (Exception e) {
      Log.error("failed to start: " + Log.describe(e));
      System.exit(1);
    }
  }

  /** The service's configuration. */
  public Env env() {
    return env;
  }

  /** The version this instance runs ({@code APP_VERSION}, default {@code dev}). */
  public String version() {
    return version;
  }

  /** The readiness checks behind {@code /health/ready}; add the service's dependencies. */
  public Readiness readiness() {
    return readiness;
  }

  /** Adds a route; see {@link Router} for the pattern syntax. */
  public HttpApp route(String method, String pattern, Router.Handler handler) {
    router.add(method, pattern, handler);
    return this;
  }

  /** Registers something to close at shutdown, after the server stopped; closed in reverse order. */
  public <T extends AutoCloseable> T closeOnStop(T resource) {
    closeables.add(resource);
    return resource;
  }

  /**
   * Starts serving on {@code BIND_ADDRESS} (default 127.0.0.1) and {@code PORT}, and installs the
   * SIGTERM shutdown hook. Readiness stays "starting" until the {@link Startup} returns.
   */
  public void listen() throws IOException {
    if (server != null) {
      return;
    }
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs can add ~40 ms to responses on
    // kept-alive connections; must be set before the server classes load.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    route("GET", "/health/live", request -> Response.json(200, Json.object("status", "UP")));
    route("GET", "/health/ready", request -> ready());
    route("GET", "/version", request ->
        Response.json(200, Json.object("service", service, "version", version)));
    server = HttpServer.create(new InetSocketAddress(bindAddress, port), 128);
    executor = requestExecutor();
    // Counted from hand-over to completion, so that shutdown knows when all requests are done.
    server.setExecutor(task -> {
      inFlight.incrementAndGet();
      executor.execute(() -> {
        try {
          task.run();
        } finally {
          inFlight.decrementAndGet();
        }
      });
    });
    server.createContext("/", this::exchange);
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "shutdown"));
    Log.info("version " + version + " listening on " + bindAddress + ":" + port
        + (faults.any() ? " with faults " + faults : ""));
  }

  private Response ready() {
    String problem = readiness.problem();
    return problem == null
        ? Response.json(200, Json.object("status", "UP"))
        : Response.json(503, Json.object("status", "DOWN", "reason", problem));
  }

  /**
   * Up to {@link #MAX_REQUEST_THREADS} platform threads, created on demand and dropped after idling
   * for a while; further requests queue. Enough for slow requests (e.g. injected latency) not to
   * hold each other up. Not virtual threads: their I/O pollers sit in native code, and the JVM
   * then waits an extra 0.3 s before exiting, which every release step would pay.
   */
  private static ExecutorService requestExecutor() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_REQUEST_THREADS, MAX_REQUEST_THREADS,
        30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "http-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private void exchange(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    boolean health = path.startsWith("/health/");
    Response response;
    try {
      response = respond(exchange, method, path, health);
    } catch (Exception e) {
      Log.error(method + " " + path + " failed: " + Log.describe(e));
      response = Response.error(500, "internal error");
    }
    send(exchange, response);
    // Probes arrive every second, so they are not logged (readiness logs its changes instead).
    // The raw (still percent-encoded) path: a decoded one could smuggle a line break into the log.
    if (!health) {
      Log.info(method + " " + exchange.getRequestURI().getRawPath() + " " + response.status() + " "
          + (System.nanoTime() - start) / 1_000_000 + "ms");
    }
  }

  private Response respond(HttpExchange exchange, String method, String path, boolean health)
      throws Exception {
    if (!health && faults.any()) {
      faults.delay();
      if (faults.shouldFail()) {
        exchange.getRequestBody().close();
        return Response.error(500, "injected fault (FAULT_ERROR_RATE)");
      }
    }
    if (!health && readiness.isStarting() && !path.equals("/version")) {
      // E.g. the api before its migrations ran: say so instead of failing on a missing table.
      exchange.getRequestBody().close();
      return Response.error(503, "starting");
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      return Response.error(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
    }
    return router.dispatch(method, path, body);
  }

  private void send(HttpExchange exchange, Response response) throws IOException {
    // Not try-with-resources: HttpExchange is only AutoCloseable from JDK 18 on.
    try {
      Headers headers = exchange.getResponseHeaders();
      headers.set("X-App-Version", version);
      if (response.contentType() != null) {
        headers.set("Content-Type", response.contentType());
      }
      response.headers().forEach(headers::set);
      byte[] body = response.body();
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } finally {
      exchange.close();
    }
  }

  /** SIGTERM: stop accepting, let in-flight requests finish (up to 5 s), then close resources. */
  private void shutdown() {
    long start = System.nanoTime();
    Log.info("shutting down");
    readiness.markStopping();
    stopServer();
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        Log.warn("while closing: " + Log.describe(e));
      }
    }
    executor.shutdown();
    Log.info("stopped in " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  /**
   * Closes the listening socket and waits until no request is in progress, at most 5 s.
   * {@code HttpServer.stop(delay)} alone should do, but until JDK-8304065 (JDK 25, backported to
   * late 21 updates) it waits out the whole delay even when idle. So it runs in the background,
   * closing the socket at once, while this watches the service's own count of requests.
   */
  private void stopServer() {
    Thread stopper = new Thread(() -> server.stop(SHUTDOWN_GRACE_SECONDS), "http-stop");
    stopper.setDaemon(true);
    stopper.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_GRACE_SECONDS);
    try {
      do {
        Thread.sleep(10); // the stopper closes the socket first thing; let it get there
      } while (inFlight.get() > 0 && System.nanoTime() < deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (inFlight.get() > 0) {
      Log.warn(inFlight.get() + " request(s) still in progress after " + SHUTDOWN_GRACE_SECONDS + " s");
    }
  }
}
