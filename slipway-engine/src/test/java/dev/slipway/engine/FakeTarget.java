package dev.slipway.engine;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.BuildResult;
import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.Target;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BuildSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A target that runs instances as in-JVM HTTP servers, so engine tests exercise real readiness
 * probes over real sockets without processes. Records what it was asked to do, in order.
 */
final class FakeTarget implements Target {
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final Set<String> failingBuilds = new HashSet<>();
  /** Backing services become healthy this long after they start. */
  final Map<String, Duration> healthyAfter = new ConcurrentHashMap<>();
  /** HTTP status each service's instances answer on their readiness path (default 200). */
  final Map<String, Integer> readyStatus = new ConcurrentHashMap<>();
  /** Services whose instances crash-loop at once. */
  final Set<String> crashLooping = new HashSet<>();
  final List<FakeInstance> instances = Collections.synchronizedList(new ArrayList<>());
  final FakeTraffic traffic = new FakeTraffic(this);
  volatile boolean closed;

  @Override
  public dev.slipway.engine.runtime.Traffic traffic() {
    return traffic;
  }

  @Override
  public String id() {
    return "fake";
  }

  @Override
  public java.util.Set<dev.slipway.model.TargetCapability> capabilities() {
    return java.util.EnumSet.allOf(dev.slipway.model.TargetCapability.class);
  }

  @Override
  public List<String> cleanUpLeftovers() {
    calls.add("cleanup");
    return List.of("stopped leftover x-1 (pgid 42)");
  }

  @Override
  public BuildResult build(String service, BuildSpec build, Duration deadline) throws TargetException {
    calls.add("build " + service);
    if (failingBuilds.contains(service)) {
      throw new TargetException(service, "build of " + service + " failed with exit code 1",
          "see .slipway/logs/build-" + service + ".log", List.of("[ERROR] COMPILATION ERROR", "Foo.java:[3,1] oops"));
    }
    return new BuildResult(service, true, "0123456789abcdef0123", Duration.ofMillis(5), "first build");
  }

  @Override
  public BackingService startBackingService(BackingServiceSpec spec, String externalUrl) {
    calls.add("resource " + spec.name());
    Instant healthyAt = Instant.now().plus(healthyAfter.getOrDefault(spec.name(), Duration.ZERO));
    return new BackingService() {
      volatile ProcessState state = ProcessState.RUNNING;

      @Override
      public String name() {
        return spec.name();
      }

      @Override
      public Map<String, String> endpoint() {
        return Map.of("host", "127.0.0.1", "port", "5432", "password", "s3cr3t-" + spec.name(),
            "url", "postgresql://u:s3cr3t-" + spec.name() + "@127.0.0.1:5432/db",
            "jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/db", "username", "u", "database", "db");
      }

      @Override
      public boolean healthy() {
        return Instant.now().isAfter(healthyAt);
      }

      @Override
      public long pid() {
        return 1000;
      }

      @Override
      public ProcessState state() {
        return state;
      }

      @Override
      public int restarts() {
        return 0;
      }

      @Override
      public void stop(Duration grace) {
        calls.add("stop " + spec.name());
        state = ProcessState.STOPPED;
      }
    };
  }

  @Override
  public Instance startInstance(InstanceSpec spec) throws TargetException {
    calls.add("start " + spec.instanceId());
    try {
      FakeInstance i = new FakeInstance(this, spec);
      instances.add(i);
      return i;
    } catch (IOException e) {
      throw new TargetException(spec.instanceId(), e.getMessage(), null, e);
    }
  }

  @Override
  public int allocatePort(String owner) throws TargetException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new TargetException(owner, e.getMessage(), null, e);
    }
  }

  @Override
  public void close() {
    closed = true;
    instances.forEach(i -> i.stop(Duration.ZERO));
  }

  /** Routes kept in memory, as the router would apply them; front ports are real free ports. */
  static final class FakeTraffic extends RecordingTraffic {
    final Map<String, Integer> fronts = new ConcurrentHashMap<>();
    private final FakeTarget target;

    FakeTraffic(FakeTarget target) {
      this.target = target;
    }

    @Override
    public int frontPort(String service) throws TargetException {
      Integer p = fronts.get(service);
      if (p == null) {
        p = target.allocatePort("front:" + service);
        fronts.put(service, p);
      }
      return p;
    }

    @Override
    protected void written(String service, Route route) {
      target.calls.add("route " + service + " " + new java.util.TreeMap<>(route.weights()));
    }
  }

  /** An instance: an HTTP server on the instance's port answering the readiness path. */
  static final class FakeInstance implements Instance {
    final InstanceSpec spec;
    private final FakeTarget target;
    private final HttpServer server;
    private volatile ProcessState state;
    private final Instant startedAt = Instant.now();

    FakeInstance(FakeTarget target, InstanceSpec spec) throws IOException {
      this.target = target;
      this.spec = spec;
      this.state = target.crashLooping.contains(spec.service()) ? ProcessState.CRASH_LOOP : ProcessState.RUNNING;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", spec.port()), 0);
      server.createContext("/", ex -> {
        int status = target.readyStatus.getOrDefault(spec.service(), 200);
        ex.sendResponseHeaders(status, -1);
        ex.close();
      });
      if (state == ProcessState.RUNNING) {
        server.start();
      }
    }

    @Override
    public String id() {
      return spec.instanceId();
    }

    @Override
    public String service() {
      return spec.service();
    }

    @Override
    public long pid() {
      return 2000;
    }

    @Override
    public int port() {
      return spec.port();
    }

    @Override
    public ProcessState state() {
      return state;
    }

    @Override
    public int restarts() {
      // As a real supervisor counts them: the fifth exit made it a crash loop; four restarts so far.
      return state == ProcessState.CRASH_LOOP ? 4 : 0;
    }

    @Override
    public int exits() {
      return state == ProcessState.CRASH_LOOP ? 5 : 0;
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public List<String> tail(int lines) {
      return List.of("starting " + spec.instanceId(), "password is " + spec.env().getOrDefault("DB_PASSWORD", "-"));
    }

    @Override
    public void restart(String reason) {
      target.calls.add("restart " + spec.instanceId());
    }

    @Override
    public void stop(Duration grace) {
      if (state != ProcessState.STOPPED) {
        target.calls.add("stop " + spec.instanceId());
        state = ProcessState.STOPPED;
        server.stop(0);
      }
    }

    @Override
    public void onChange(Listener listener) {
      // State changes are driven by the test through the fields above.
    }
  }
}
