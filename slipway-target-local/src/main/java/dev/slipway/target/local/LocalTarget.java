package dev.slipway.target.local;

import dev.slipway.engine.target.BackingService;
import dev.slipway.engine.target.BuildResult;
import dev.slipway.engine.target.Instance;
import dev.slipway.engine.target.InstanceSpec;
import dev.slipway.engine.target.ProcessState;
import dev.slipway.engine.target.SecretMasker;
import dev.slipway.engine.target.Target;
import dev.slipway.engine.target.TargetException;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BuildSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Runs an application on this machine: each service instance and each database server is a
 * supervised process group, restarted with backoff when it dies; builds are skipped when their
 * inputs did not change; backing services come from bundled binaries, installed ones, Docker, or an
 * external URL. State (logs, data, secrets, ports, the registry of started processes) lives in
 * {@code stateDir}, usually {@code .slipway/} beside the model file.
 *
 * <p>Children are not tied to this JVM: their output goes straight to log files, so they keep
 * running if the control plane is killed, and the next control plane stops them with
 * {@link #cleanUpLeftovers()}.
 */
public final class LocalTarget implements Target {

  /** How long a database server may take to shut down before it is killed. */
  static final Duration SERVER_GRACE = Duration.ofSeconds(10);

  private final String appName;
  private final Path baseDir;
  private final StateLayout layout;
  private final SecretMasker masker;
  private final ProcessRegistry registry;
  private final PortAllocator ports;
  private final Builds builds;
  private final Supervisor.Threads threads;
  private final LocalContext context;
  private final Map<String, BackingServiceProvider> providers = new ConcurrentHashMap<>();
  /** Everything started, in order, with how to stop it. */
  private final List<Started> started = new CopyOnWriteArrayList<>();
  private final Map<String, BackingService> backingServices = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private record Started(String name, Runnable stop) {}

  /**
   * @param appName  the application's name (default database and user names, container names)
   * @param baseDir  the model file's directory; commands run there
   * @param stateDir where state goes, normally {@code <baseDir>/.slipway}
   * @param masker   receives every password this target generates or reads
   */
  public LocalTarget(String appName, Path baseDir, Path stateDir, SecretMasker masker) {
    this.appName = appName;
    this.baseDir = baseDir.toAbsolutePath().normalize();
    this.layout = new StateLayout(stateDir);
    this.masker = masker;
    this.registry = new ProcessRegistry(layout.processes());
    this.ports = new PortAllocator(layout.ports());
    this.builds = new Builds(this.baseDir, layout, registry, masker);
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("slipway-timer").factory());
    timer.setRemoveOnCancelPolicy(true); // restarts cancel a 60 s stability check each time
    this.threads = new Supervisor.Threads(timer,
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("slipway-supervisor-", 0).factory()));
    this.context = new LocalContext(appName, this.baseDir, layout, new Secrets(layout.secrets(), masker), ports,
        registry, masker, threads);
    BinaryCache cache = BinaryCache.standard();
    for (BackingServiceProvider p : List.of(new EmbeddedPostgresProvider(cache), new LocalPostgresProvider(),
        new EmbeddedRedisProvider(cache), new LocalRedisProvider(), new DockerProvider(), new ExternalProvider())) {
      providers.put(p.id(), p);
    }
  }

  @Override
  public String id() {
    return "local";
  }

  @Override
  public List<String> cleanUpLeftovers() throws TargetException {
    open();
    try {
      return Leftovers.reap(registry);
    } catch (IOException e) {
      throw new TargetException(null, "cannot read " + layout.processes() + ": " + e.getMessage(),
          "if the file is damaged, stop leftover processes by hand and delete it", e);
    }
  }

  @Override
  public BuildResult build(String service, BuildSpec build, Duration deadline) throws TargetException {
    open();
    StateLayout.checkName("service", service);
    return builds.build(service, build, deadline);
  }

  @Override
  public BackingService startBackingService(BackingServiceSpec spec, String externalUrl) throws TargetException {
    open();
    String name = StateLayout.checkName("resource", spec.name());
    BackingService running = backingServices.get(name);
    if (running != null && running.state() != ProcessState.STOPPED) {
      return running;
    }
    String provider = (spec.provider() == null ? BackingServiceSpec.Provider.EMBEDDED : spec.provider()).key();
    BackingServiceProvider p = providers.getOrDefault(provider + "-" + spec.type().key(), providers.get(provider));
    if (p == null) {
      throw new TargetException(name, "`provider: " + provider + "` cannot run a " + spec.type().key()
          + " resource", "use `provider: external` with its url", List.of());
    }
    BackingService service = p.start(context, spec, externalUrl);
    backingServices.put(name, service);
    started.add(new Started(name, () -> service.stop(SERVER_GRACE)));
    return service;
  }

  @Override
  public Instance startInstance(InstanceSpec spec) throws TargetException {
    open();
    String id = StateLayout.checkName("instance", spec.instanceId());
    Supervisor.Launch launch = new Supervisor.Launch(id, "instance", List.of("sh", "-c", ShellCommand.forSh(spec.command())),
        spec.env(), spec.workDir() != null ? spec.workDir() : baseDir, layout.instanceLog(id), Signal.TERM, spec.command());
    Supervisor supervisor = context.supervisor(launch);
    try {
      supervisor.start();
    } catch (IOException e) {
      throw new TargetException(id, "cannot start " + id + ": " + e.getMessage(),
          "check that `sh` and `setsid` (util-linux) are installed and " + baseDir + " exists", e);
    }
    LocalInstance instance = new LocalInstance(spec, supervisor, masker);
    started.add(new Started(id, instance::stop));
    return instance;
  }

  @Override
  public int allocatePort(String owner) throws TargetException {
    open();
    try {
      return ports.allocate(owner);
    } catch (IOException e) {
      throw new TargetException(owner, "cannot allocate a port: " + e.getMessage(),
          "check that " + layout.ports() + " is writable", e);
    }
  }

  /**
   * Deletes the data of the named resources (for {@code down --volumes}): their directories under
   * {@code data/} and, when a Docker engine runs, their volumes. Refuses while one of them runs here.
   *
   * @return a human-readable line per data set deleted
   */
  @Override
  public List<String> deleteData(Collection<String> resourceNames) throws TargetException {
    open();
    List<String> lines = new ArrayList<>();
    boolean docker = DockerCli.engineRunning();
    for (String raw : resourceNames) {
      String name = StateLayout.checkName("resource", raw);
      BackingService running = backingServices.get(name);
      if (running != null && running.state() != ProcessState.STOPPED) {
        throw new TargetException(name, "resource `" + name + "` is still running", "stop it first", List.of());
      }
      Path dir = layout.data().resolve(name);
      try {
        if (Files.exists(dir)) {
          BinaryCache.deleteTree(dir);
          lines.add("deleted " + baseDir.relativize(dir));
        }
      } catch (IOException e) {
        throw new TargetException(name, "cannot delete " + dir + ": " + e.getMessage(),
            "delete it by hand", e);
      }
      String volume = DockerCli.containerName(appName, name);
      if (docker && DockerCli.run(30, "volume", "rm", volume).ok()) {
        lines.add("deleted docker volume " + volume);
      }
    }
    return lines;
  }

  /** Stops everything still running, newest first, each group killed after its grace. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<Started> all = new ArrayList<>(started);
    RuntimeException failure = null;
    for (Started s : all.reversed()) {
      try {
        s.stop().run();
      } catch (RuntimeException e) {
        // Keep stopping the rest; report the first failure at the end.
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    threads.timer().shutdownNow();
    threads.workers().shutdown();
    if (failure != null) {
      throw failure;
    }
  }

  private void open() throws TargetException {
    if (closed) {
      throw new TargetException(null, "the local target is closed", "create a new one", List.of());
    }
    layout.ensure();
  }

  @Override
  public String toString() {
    return "LocalTarget[" + appName + " in " + baseDir + "]";
  }

  // Package-private for tests: the state directory's layout.
  StateLayout layout() {
    return layout;
  }
}
