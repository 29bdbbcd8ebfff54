package dev.slipway.engine;

import dev.slipway.engine.runtime.Adopted;
import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.BuildResult;
import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.Probe;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.Target;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One control plane's connection to a {@link MemoryWorld}: what {@code LocalTarget} is to the host. It
 * can be halted (the control plane died): then each of its calls, and each call through a handle it
 * gave out, throws {@link Halted} and changes nothing. It can halt its control plane itself right after
 * its N-th act (an instance started or stopped, a route applied) once {@link Chaos} is armed.
 */
final class MemoryTarget implements Target {
  private final MemoryWorld world;
  private final Set<String> adopted = new HashSet<>();
  private final Set<String> claimed = new HashSet<>();
  private final AtomicInteger acts = new AtomicInteger();
  private final MemoryTraffic traffic = new MemoryTraffic();
  private volatile SimClock.Engine clock;
  private volatile Chaos chaos = Chaos.NONE;
  private volatile int haltAfterAct;
  /** The acts this control plane did once its rollout started (for the crash harness's count). */
  final List<String> actLog = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Everything, unless a test takes some away to see a strategy refused. */
  volatile java.util.Set<dev.slipway.model.TargetCapability> capabilities =
      java.util.EnumSet.allOf(dev.slipway.model.TargetCapability.class);

  MemoryTarget(MemoryWorld world) {
    this.world = world;
  }

  /** Halts the control plane (through {@code chaos}) right after its {@code n}-th act of the rollout; 0: never. */
  void haltAfterAct(SimClock.Engine clock, Chaos chaos, int n) {
    this.clock = clock;
    this.chaos = chaos;
    this.haltAfterAct = n;
  }

  @Override
  public String id() {
    return "memory";
  }

  @Override
  public java.util.Set<dev.slipway.model.TargetCapability> capabilities() {
    return capabilities;
  }

  @Override
  public List<String> cleanUpLeftovers() {
    alive();
    world.processes.values().forEach(MemoryWorld.Proc::stop);
    world.routes.clear();
    return List.of();
  }

  @Override
  public Adopted adopt() {
    alive();
    Map<String, Integer> running = new LinkedHashMap<>();
    world.processes.values().stream().filter(MemoryWorld.Proc::running)
        .forEach(p -> running.put(p.spec.instanceId(), p.spec.port()));
    adopted.addAll(running.keySet());
    return new Adopted(running, Set.of(), !world.routes.isEmpty());
  }

  @Override
  public List<String> stopUnclaimed() {
    alive();
    List<String> lines = new ArrayList<>();
    for (String id : adopted) {
      if (!claimed.contains(id) && world.processes.get(id).running()) {
        world.processes.get(id).stop();
        lines.add("stopped " + id + ", which no release claims");
      }
    }
    return lines;
  }

  @Override
  public BuildResult build(String service, BuildSpec build, Duration deadline) {
    alive();
    return new BuildResult(service, false, "0123456789abcdef0123", Duration.ZERO, "nothing changed");
  }

  @Override
  public BackingService startBackingService(BackingServiceSpec spec, String externalUrl) throws TargetException {
    throw new TargetException(spec.name(), "the memory target runs no backing services", null, List.of());
  }

  @Override
  public Instance startInstance(InstanceSpec spec) throws TargetException {
    alive();
    if (world.failingStarts.contains(spec.release())) {
      throw new TargetException(spec.instanceId(), "cannot start " + spec.instanceId() + ": exec format error", null,
          List.of());
    }
    MemoryWorld.Proc p = world.processes.get(spec.instanceId());
    if (p != null && p.running() && adopted.contains(spec.instanceId())) {
      claimed.add(spec.instanceId());
      return new Handle(p);
    }
    Handle h = new Handle(world.start(spec));
    acted("start " + spec.instanceId());
    return h;
  }

  @Override
  public int allocatePort(String owner) {
    alive();
    return world.port();
  }

  @Override
  public Traffic traffic() {
    return traffic;
  }

  @Override
  public void close() {
    // The stack is going down: what it stopped is stopped; the world itself stays for the test to read.
  }

  private void alive() {
    SimClock.Engine c = clock;
    if (c != null) {
      c.checkAlive();
    }
    chaos.checkAlive();
  }

  private void acted(String what) {
    if (!chaos.armed()) {
      return;
    }
    actLog.add(what);
    int n = acts.incrementAndGet();
    if (n == haltAfterAct) {
      chaos.halt("act " + n + " (" + what + ")");
    }
  }

  /** The router, as this control plane reaches it. */
  private final class MemoryTraffic implements Traffic {
    @Override
    public int frontPort(String service) {
      alive();
      return 10000 + Math.abs(service.hashCode() % 1000);
    }

    @Override
    public Applied route(String service, Route route, long expected) throws TargetException {
      alive();
      if (world.routerDown) {
        throw new TargetException("router", "the router does not answer", null, List.of());
      }
      Applied a = world.route(service, route, expected);
      if (a.written()) {
        acted("route " + service + " " + new java.util.TreeMap<>(route.weights()));
      }
      return a;
    }

    @Override
    public Applied applied(String service) throws TargetException {
      alive();
      if (world.routerDown) {
        throw new TargetException("router", "the router does not answer", null, List.of());
      }
      return world.applied(service);
    }

    @Override
    public List<BackendState> backends(String service) {
      alive();
      Route r = world.routes.get(service);
      return r == null ? List.of() : r.backends().stream().map(b -> new BackendState(b.id(), b.version(),
          b.draining() ? "draining" : "active", world.inflight(b.id()), 0)).toList();
    }

    @Override
    public MetricsEndpoint metrics() {
      return new MetricsEndpoint("memory://metrics", Map.of());
    }

    @Override
    public int get(String service, String release, String path, Duration timeout) throws java.io.IOException {
      alive();
      MemoryWorld.Proc p = world.processes.values().stream()
          .filter(x -> x.spec.release().equals(release) && x.running()).findFirst()
          .orElseThrow(() -> new java.io.IOException("connection refused"));
      String smoke = p.env("SMOKE");
      return smoke == null ? 200 : Integer.parseInt(smoke);
    }
  }

  /** An instance as this control plane holds it. */
  private final class Handle implements Instance {
    private final MemoryWorld.Proc p;

    Handle(MemoryWorld.Proc p) {
      this.p = p;
    }

    @Override
    public String id() {
      return p.spec.instanceId();
    }

    @Override
    public String service() {
      return p.spec.service();
    }

    @Override
    public long pid() {
      alive();
      return p.running() ? 1000 + Math.abs(id().hashCode() % 1000) : -1;
    }

    @Override
    public int port() {
      return p.spec.port();
    }

    @Override
    public ProcessState state() {
      alive();
      return p.state;
    }

    @Override
    public int restarts() {
      return p.state == ProcessState.CRASH_LOOP ? 4 : p.restarts;
    }

    @Override
    public int exits() {
      return p.state == ProcessState.CRASH_LOOP ? 5 : 0;
    }

    @Override
    public Instant startedAt() {
      return p.startedAt;
    }

    @Override
    public List<String> tail(int lines) {
      return "crash".equals(p.env("MODE"))
          ? List.of("starting " + id(), "Exception in thread \"main\" java.lang.IllegalStateException: no config")
          : List.of("starting " + id());
    }

    @Override
    public Probe probe(String path) {
      alive();
      if (!p.running()) {
        return new Probe(false, "connection refused");
      }
      if (path.contains("live")) {
        return new Probe(true, "HTTP 200");
      }
      return p.ready() ? new Probe(true, "HTTP 200") : new Probe(false, "answered HTTP 503");
    }

    @Override
    public Probe connect() {
      alive();
      return new Probe(p.running(), p.running() ? "accepts connections" : "connection refused");
    }

    @Override
    public void restart(String reason) {
      alive();
      p.restarts++;
      p.startedAt = world.clock.now();
    }

    @Override
    public void stop(Duration grace) {
      alive();
      if (p.running() || p.state == ProcessState.CRASH_LOOP) {
        p.stop();
        acted("stop " + id());
      }
    }

    @Override
    public void onChange(Listener listener) {
      alive();
      if (p.state == ProcessState.CRASH_LOOP) {
        listener.changed(this, ProcessState.CRASH_LOOP, "exited with code 1");
      }
    }
  }
}
