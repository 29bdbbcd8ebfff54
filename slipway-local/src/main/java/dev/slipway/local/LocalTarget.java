package dev.slipway.local;

import dev.slipway.engine.runtime.Adopted;
import dev.slipway.engine.runtime.ArtifactRef;
import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.BuildResult;
import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Target;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BuildSpec;
import dev.slipway.model.RouterLimits;
import dev.slipway.model.TargetCapability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs an application on this machine: each service instance and each database server is a
 * supervised process group, restarted with backoff when it dies; builds are skipped when their
 * inputs did not change; backing services come from bundled binaries, installed ones, Docker, or an
 * external URL. State (logs, data, secrets, ports, the registry of started processes) lives in
 * {@code stateDir}, usually {@code .slipway/} beside the model file.
 *
 * <p>Children are not tied to this JVM: their output goes straight to log files, so they keep
 * running if the control plane is killed. The next control plane either takes them over
 * ({@link #adopt()}, then {@code start*} calls reattach and {@link #stopUnclaimed()} stops the rest)
 * or stops them all ({@link #cleanUpLeftovers()}).
 *
 * <p>Releases run from read-only snapshots of their build outputs ({@link #snapshot}, under
 * {@code artifacts/<sha256>/}), behind Slipway's router process ({@link #traffic()}).
 */
public final class LocalTarget implements Target {

  /** How long a database server may take to shut down before it is killed. */
  static final Duration SERVER_GRACE = Duration.ofSeconds(10);
  // The router splits and pins traffic and counts requests per release; instances run until stopped,
  // so a previous release can stay warm. Listed one by one: a new capability is not claimed unseen.
  static final Set<TargetCapability> CAPABILITIES = Set.copyOf(EnumSet.of(TargetCapability.WEIGHTED_TRAFFIC,
      TargetCapability.PINNED_REQUESTS, TargetCapability.RELEASE_METRICS, TargetCapability.WARM_STANDBY));
  private static final System.Logger LOG = System.getLogger(LocalTarget.class.getName());

  private final String appName;
  private final RouterLimits routerLimits;
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
  private final List<LocalInstance> instances = new CopyOnWriteArrayList<>();
  private final ArtifactStore artifacts;
  private final Adoption adoption;
  private final UsageSampler usage;
  private final ReentrantLock trafficLock = new ReentrantLock();
  private volatile RouterTraffic traffic;
  private volatile boolean closed;

  /** The order {@link #close()} stops things in: instances, then the router, then what they use. */
  private enum Phase { INSTANCE, ROUTER, RESOURCE }

  private record Started(String name, Phase phase, Runnable stop) {}

  /**
   * @param appName  the application's name (default database and user names, container names)
   * @param baseDir  the model file's directory; commands run there
   * @param stateDir where state goes, normally {@code <baseDir>/.slipway}
   * @param masker   receives every password this target generates or reads
   */
  public LocalTarget(String appName, Path baseDir, Path stateDir, SecretMasker masker) {
    this(appName, baseDir, stateDir, masker, null);
  }

  /** @param routerLimits the environment's {@code router:} limits, applied when this target starts the router; null for the defaults */
  public LocalTarget(String appName, Path baseDir, Path stateDir, SecretMasker masker, RouterLimits routerLimits) {
    this.routerLimits = routerLimits;
    this.appName = appName;
    this.baseDir = baseDir.toAbsolutePath().normalize();
    this.layout = new StateLayout(stateDir);
    this.masker = masker;
    this.registry = new ProcessRegistry(layout.processes());
    this.ports = new PortAllocator(layout.ports());
    this.builds = new Builds(this.baseDir, layout, registry, masker);
    this.artifacts = new ArtifactStore(this.baseDir, layout);
    this.adoption = new Adoption(registry);
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("slipway-timer").factory());
    timer.setRemoveOnCancelPolicy(true); // restarts cancel a 60 s stability check each time
    this.threads = new Supervisor.Threads(timer,
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("slipway-supervisor-", 0).factory()));
    this.context = new LocalContext(appName, this.baseDir, layout, new Secrets(layout.secrets(), masker), ports,
        registry, masker, threads, adoption);
    this.usage = new UsageSampler(layout.root(), () -> instances.stream()
        .filter(i -> i.state() != ProcessState.STOPPED)
        .map(i -> new UsageSampler.Subject(i.id(), i.service(), i.release(), i.pid(), i.startedAt())).toList());
    long every = UsageSampler.INTERVAL.toMillis();
    timer.scheduleAtFixedRate(() -> execute(usage::tick), every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    BinaryCache cache = BinaryCache.standard();
    for (BackingServiceProvider p : List.of(new EmbeddedPostgresProvider(cache), new LocalPostgresProvider(),
        new EmbeddedRedisProvider(cache), new LocalRedisProvider(), new DockerProvider(), new ExternalProvider(),
        new LocalPrometheusProvider(() -> traffic == null ? null : traffic.metrics()))) {
      providers.put(p.id(), p);
    }
  }

  @Override
  public String id() {
    return "local";
  }

  @Override
  public String keepSecret(String value) throws TargetException {
    try {
      return context.secrets().keep(value);
    } catch (IOException e) {
      throw secretStore(e);
    }
  }

  @Override
  public java.util.Optional<String> keptSecret(String id) throws TargetException {
    try {
      return context.secrets().kept(id);
    } catch (IOException e) {
      throw secretStore(e);
    }
  }

  private TargetException secretStore(IOException e) {
    return new TargetException(null, "cannot read or write the secret store " + layout.secrets() + ": "
        + e.getMessage(), e instanceof JsonFiles.DamagedFileException
            ? "restore it from a backup: it holds the generated passwords the databases accept"
            : "check the file's permissions", e);
  }

  @Override
  public Set<TargetCapability> capabilities() {
    return CAPABILITIES;
  }

  /** Stops everything an earlier control plane left running, adopted or not (for {@code down}). */
  @Override
  public List<String> cleanUpLeftovers() throws TargetException {
    open();
    try {
      List<String> lines = new ArrayList<>(adoption.stopUnclaimed());
      lines.addAll(Leftovers.reap(registry));
      if (traffic == null) {
        // The router is stopped with the instances it routed to: the next one must not reload their routes.
        Files.deleteIfExists(layout.router().resolve(RouterProcess.ROUTES));
      }
      return lines;
    } catch (IOException e) {
      throw registryProblem(e);
    }
  }

  /**
   * Takes over what an earlier control plane left running: every recorded instance, database server
   * and router whose leader still runs (same pid and start time, not a zombie) is kept, to be
   * reattached by the next {@link #startInstance}, {@link #startBackingService} or {@link #traffic()}
   * for the same id; everything else recorded (builds, initdb, Docker clients, groups whose leader
   * died) is stopped.
   */
  @Override
  public Adopted adopt() throws TargetException {
    open();
    try {
      context.secrets().registerAll();
    } catch (IOException e) {
      throw secretStore(e);
    }
    try {
      List<String> stopped = new ArrayList<>();
      Adopted adopted = adoption.adopt(stopped);
      stopped.forEach(line -> LOG.log(System.Logger.Level.INFO, line));
      // Their ports stay theirs: the engine restarts them with the port Adopted reports.
      adopted.instances().forEach((id, port) -> {
        if (port > 0) {
          ports.reserve(port, id);
        }
      });
      return adopted;
    } catch (IOException e) {
      throw registryProblem(e);
    }
  }

  /** Stops adopted groups no start call reattached to: TERM to the group, KILL after the grace. */
  @Override
  public List<String> stopUnclaimed() throws TargetException {
    open();
    try {
      return adoption.stopUnclaimed();
    } catch (IOException e) {
      throw registryProblem(e);
    }
  }

  private TargetException registryProblem(IOException e) {
    return new TargetException(null, "cannot read or update " + layout.processes() + ": " + e.getMessage(),
        "if the file is damaged, stop leftover processes by hand and delete it", e);
  }

  @Override
  public BuildResult build(String service, BuildSpec build, Duration deadline) throws TargetException {
    open();
    StateLayout.checkName("service", service);
    return builds.build(service, build, deadline);
  }

  /**
   * Copies the build's outputs into {@code artifacts/<sha256>/} (read-only), or reuses the snapshot
   * of identical content.
   *
   * @return {@code null} when the build declares no outputs
   */
  @Override
  public ArtifactRef snapshot(String service, BuildSpec build) throws TargetException {
    open();
    StateLayout.checkName("service", service);
    if (build == null || build.outputs().isEmpty()) {
      return null;
    }
    return artifacts.snapshot(service, build.outputs());
  }

  @Override
  public Optional<ArtifactRef> artifact(String digest) {
    return artifacts.find(digest);
  }

  /**
   * Deletes artifact snapshots whose digest is not in {@code keep}. Snapshots that a running
   * instance of this target (or one adopted and not yet claimed) works in are kept whatever
   * {@code keep} says.
   *
   * @return a line per snapshot deleted
   */
  public List<String> pruneArtifacts(Set<String> keep) throws TargetException {
    open();
    Set<String> inUse = new HashSet<>(keep);
    for (LocalInstance i : instances) {
      if (i.state() != ProcessState.STOPPED && i.workDir() != null) {
        inUse.add(i.workDir().getFileName().toString());
      }
    }
    for (ProcessRegistry.Entry e : adoption.waiting()) {
      try {
        inUse.add(Files.readSymbolicLink(Path.of("/proc", Long.toString(e.pid()), "cwd")).getFileName().toString());
      } catch (IOException | RuntimeException ex) {
        // Gone meanwhile: nothing to protect.
      }
    }
    try {
      return artifacts.prune(inUse);
    } catch (IOException e) {
      throw new TargetException(null, "cannot prune " + layout.artifacts() + ": " + e.getMessage(),
          "check the directory's permissions", e);
    }
  }

  /**
   * The router: started on first use (as the process group {@code router}, log {@code logs/router.log}),
   * or reattached to when {@link #adopt()} found one running.
   */
  @Override
  public Traffic traffic() throws TargetException {
    open();
    trafficLock.lock();
    try {
      if (traffic == null) {
        RouterProcess router = RouterProcess.startOrAdopt(context, routerLimits);
        RouterTraffic t = new RouterTraffic(router, ports, router::lastPort);
        try {
          t.load();
        } catch (TargetException e) {
          t.close();
          router.stop();
          throw e;
        }
        traffic = t;
        started.add(new Started(RouterProcess.NAME, Phase.ROUTER, () -> stopRouter(t, router)));
      }
      return traffic;
    } finally {
      trafficLock.unlock();
    }
  }

  private static void stopRouter(RouterTraffic t, RouterProcess router) {
    try {
      if (router.supervisor().state() == ProcessState.RUNNING) {
        t.clear(); // the next router must not serve backends that are gone by then
      }
    } catch (TargetException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot clear the router's routes before stopping it: " + e.getMessage());
    } finally {
      t.close();
      router.stop();
    }
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
    started.add(new Started(name, Phase.RESOURCE, () -> service.stop(SERVER_GRACE)));
    return service;
  }

  @Override
  public Instance startInstance(InstanceSpec spec) throws TargetException {
    open();
    String id = StateLayout.checkName("instance", spec.instanceId());
    Path workDir = spec.workDir() != null ? spec.workDir().toAbsolutePath().normalize() : baseDir;
    if (!Files.isDirectory(workDir)) {
      throw new TargetException(id, "the working directory of " + id + " does not exist: " + workDir,
          spec.workDir() != null ? "its artifact snapshot may have been pruned; build and release again" : null,
          List.of());
    }
    Launch launch = new Launch(id, "instance", List.of("sh", "-c", ShellCommand.forSh(spec.command())),
        spec.env(), workDir, layout.instanceLog(id), Signal.TERM, spec.command()).identified(spec.port(), "");
    Supervisor supervisor = context.supervisor(launch);
    try {
      // An instance the previous control plane left running with this very spec is reattached to.
      context.startOrAdopt(supervisor, false);
    } catch (IOException e) {
      throw new TargetException(id, "cannot start " + id + ": " + e.getMessage(),
          "check that `sh` and `setsid` (util-linux) are installed and " + workDir + " exists", e);
    }
    LocalInstance instance = new LocalInstance(spec, supervisor, masker);
    instances.add(instance);
    started.add(new Started(id, Phase.INSTANCE, instance::stop));
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
          lines.add("deleted " + (dir.startsWith(baseDir) ? baseDir.relativize(dir) : dir));
        }
      } catch (IOException e) {
        throw new TargetException(name, "cannot delete " + dir + ": " + e.getMessage(),
            "delete it by hand", e);
      }
      String volume = DockerCli.containerName(appName, baseDir, layout.root(), name);
      if (docker && DockerCli.run(30, "volume", "rm", volume).ok()) {
        lines.add("deleted docker volume " + volume);
      }
    }
    return lines;
  }

  /**
   * Stops everything still running, each group killed after its grace: adopted groups nobody
   * claimed, then instances (newest first), then the router (its routes cleared first), then
   * backing services (newest first). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // The last seconds count too; after this the instances are stopped and measure nothing.
    usage.tick();
    usage.flush();
    RuntimeException failure = null;
    try {
      adoption.stopUnclaimed();
    } catch (IOException | RuntimeException e) {
      failure = e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((IOException) e);
    }
    List<Started> all = new ArrayList<>(started);
    for (Phase phase : Phase.values()) {
      for (Started s : all.reversed()) {
        if (s.phase() != phase) {
          continue;
        }
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
    }
    threads.timer().shutdownNow();
    threads.workers().shutdown();
    if (failure != null) {
      throw failure;
    }
  }

  private void execute(Runnable task) {
    try {
      threads.workers().execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: the last sample is taken by close().
    }
  }

  /** What this target measured of the services' instances so far (also in {@code state/usage.json}). */
  public dev.slipway.api.ResourceUsage usage() {
    return usage.usage();
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

  @Override
  public Map<String, Path> releaseLogs(String release) throws TargetException {
    try {
      return layout.releaseLogs(StateLayout.checkName("release", release));
    } catch (IOException e) {
      throw new TargetException(release, "cannot list the logs of " + release + ": " + e.getMessage(),
          "check " + layout.logs(), e);
    }
  }

  // Package-private for tests: the state directory's layout.
  StateLayout layout() {
    return layout;
  }
}
