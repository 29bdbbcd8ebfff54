package dev.slipway.preview;

import dev.slipway.api.team.PreviewRequest;
import dev.slipway.api.team.PreviewView;
import dev.slipway.model.AppSpec;
import dev.slipway.model.Durations;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ModelException;
import dev.slipway.model.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A registry of previews: isolated copies of an application, each a whole local stack run by a control
 * plane of its own (its own state directory {@code REGISTRY/NAME/state}, so its own processes, ports,
 * router and data) or, from a kubernetes environment, a namespace of its own. The registry is a
 * directory of {@code NAME.json} records, written before anything is started or stopped (the intent)
 * and removed last, so a crash at any point leaves a record that the next {@link #down} or
 * {@link #sweep} finishes. A lock file serializes changes to the registry across processes.
 *
 * <p>The CLI without a team server uses {@code $XDG_STATE_HOME/slipway/previews}; the team server
 * {@code DATA/previews}.
 */
public final class Previews {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private final Registry registry;
  private final PreviewSettings settings;
  private final LocalPreview local;
  private final ClusterPreview cluster;
  /** Previews this JVM is starting or removing (other processes mark theirs in the record). */
  private final Set<String> busy = ConcurrentHashMap.newKeySet();

  private Previews(Registry registry, PreviewSettings settings) {
    this.registry = registry;
    this.settings = settings;
    this.local = new LocalPreview(settings);
    this.cluster = new ClusterPreview(settings);
  }

  /**
   * Opens (creating it when absent, mode 0700) the registry in {@code registryDir}.
   *
   * @throws PreviewException when the directory cannot be created
   */
  public static Previews open(Path registryDir, PreviewSettings settings) throws PreviewException {
    return new Previews(new Registry(registryDir.toAbsolutePath().normalize()), settings);
  }

  /**
   * Starts preview {@code request.name()}, or replaces it when one of that name exists (a pull request
   * that was updated), and returns it once it serves, with its URLs.
   *
   * @param user     who asks (recorded as the preview's creator)
   * @param progress where progress lines go
   * @throws PreviewException the quota is reached ({@link PreviewException#REFUSED}), the request is bad
   *                          ({@link PreviewException#BAD_INPUT}), or the stack failed to start (it is
   *                          removed again)
   */
  public PreviewView up(PreviewRequest request, String user, Consumer<String> progress) throws PreviewException {
    String name = checkName(request.name());
    Duration ttl = request.ttl() == null || request.ttl().isBlank() ? settings.defaultTtl() : ttl(request.ttl());
    Path model = modelFile(request.modelFile());
    String env = request.from() == null || request.from().isBlank() ? ModelLoader.DEFAULT_ENVIRONMENT : request.from();
    AppSpec app = load(model, env);
    EnvironmentSpec envSpec = app.selectedEnvironment().orElse(null);
    boolean onCluster = envSpec != null && envSpec.target() == EnvironmentSpec.TargetKind.KUBERNETES;
    String location = onCluster ? cluster.namespace(app, envSpec, name) : registry.home(name).resolve("state").toString();
    String source = request.from() == null || request.from().isBlank() ? "working tree " + model
        : "environment " + request.from();
    Instant now = Instant.now();
    PreviewRecord intent = new PreviewRecord(name, onCluster ? "kubernetes" : "local", "starting", source,
        model.toString(), env, blankToNull(request.version()), location, Map.of(), user, now.toString(),
        compact(ttl), now.plus(ttl).toString(), null, 0, 0, ProcessHandle.current().pid(),
        ProcessIds.startTicks(ProcessHandle.current().pid()));
    Optional<PreviewRecord> previous;
    try (Registry.Held held = registry.lock()) {
      previous = registry.read(name);
      if (previous.isPresent() && (busy.contains(name) || previous.get().actedOnElsewhere())) {
        throw new PreviewException("preview " + name + " is being started or removed right now",
            "wait for that to finish, then try again", PreviewException.REFUSED);
      }
      List<String> others = registry.all().stream().map(PreviewRecord::name).filter(n -> !n.equals(name)).toList();
      if (others.size() >= settings.quota()) {
        throw new PreviewException(others.size() + (others.size() == 1 ? " preview exists (" : " previews exist (")
            + String.join(", ", others) + "), the quota is "
            + settings.quota(), "remove one with `slipway preview down NAME`, or raise " + PreviewSettings.QUOTA_VARIABLE
            + " (on a team server: --preview-quota)", PreviewException.REFUSED);
      }
      busy.add(name);
      registry.write(previous.map(p -> p.withState("removing", "being replaced")
          .withActor(intent.actorPid(), intent.actorStart())).orElse(intent));
    }
    try {
      if (previous.isPresent()) {
        progress.accept("replacing preview " + name);
        stop(previous.get(), progress);
        write(intent);
      }
      PreviewRecord started = onCluster ? startOnCluster(intent, app, envSpec, progress) : startLocally(intent, progress);
      PreviewRecord up = started.withUp(started.urls(), Instant.now().plus(ttl));
      write(up);
      return up.view();
    } catch (PreviewException | RuntimeException e) {
      progress.accept(name + ": did not start; removing what was started");
      try {
        stop(registry.read(name).orElse(intent), line -> { });
        remove(name);
      } catch (PreviewException cleanup) {
        e.addSuppressed(cleanup);
        write(intent.withState("failed", e.getMessage()).withActor(0, 0));
      }
      throw e;
    } finally {
      busy.remove(name);
    }
  }

  private PreviewRecord startLocally(PreviewRecord intent, Consumer<String> progress) throws PreviewException {
    Path stateDir = Path.of(intent.location());
    progress.accept("starting preview " + intent.name() + " (" + intent.source() + ") in " + stateDir);
    Process process = local.launch(intent, stateDir);
    PreviewRecord launched = intent.withProcess(process.pid(), ProcessIds.startTicks(process.pid()));
    write(launched);
    Map<String, String> urls = local.awaitReady(intent.name(), process, stateDir, progress);
    return new PreviewRecord(launched.name(), launched.target(), launched.state(), launched.source(),
        launched.modelFile(), launched.environment(), launched.version(), launched.location(), urls,
        launched.createdBy(), launched.createdAt(), launched.ttl(), launched.expiresAt(), null, launched.pid(),
        launched.pidStart(), launched.actorPid(), launched.actorStart());
  }

  private PreviewRecord startOnCluster(PreviewRecord intent, AppSpec app, EnvironmentSpec env,
      Consumer<String> progress) throws PreviewException {
    progress.accept("starting preview " + intent.name() + " (" + intent.source() + ") in namespace " + intent.location());
    Map<String, String> urls = cluster.up(app, env, intent.location(), progress);
    return new PreviewRecord(intent.name(), intent.target(), intent.state(), intent.source(), intent.modelFile(),
        intent.environment(), intent.version(), intent.location(), urls, intent.createdBy(), intent.createdAt(),
        intent.ttl(), intent.expiresAt(), null, 0, 0, intent.actorPid(), intent.actorStart());
  }

  /** Every preview in the registry, by name, as recorded (a local preview whose control plane died says so). */
  public List<PreviewView> list() throws PreviewException {
    List<PreviewView> out = new ArrayList<>();
    for (PreviewRecord r : registry.all()) {
      out.add(observed(r).view());
    }
    return out;
  }

  /** The record as things are: a local preview whose control plane is gone, or whose start was cut off, failed. */
  private PreviewRecord observed(PreviewRecord r) {
    if (r.target().equals("local") && r.state().equals("up") && !r.processAlive()) {
      return r.withState("failed", "its control plane (pid " + r.pid() + ") is gone; `slipway preview down " + r.name()
          + "` cleans up");
    }
    if ((r.state().equals("starting") || r.state().equals("removing")) && !busy.contains(r.name())
        && !r.actedOnElsewhere()) {
      return r.withState("failed", "the command " + r.state() + " it stopped before it finished; `slipway preview down "
          + r.name() + "` cleans up");
    }
    return r;
  }

  /**
   * Removes preview {@code name}: stops its control plane (and everything it runs) or deletes its
   * namespace, deletes its data, and removes its record.
   *
   * @throws PreviewException {@link PreviewException#NOT_FOUND} when there is no such preview
   */
  public PreviewView down(String name, Consumer<String> progress) throws PreviewException {
    checkName(name);
    PreviewRecord removing;
    try (Registry.Held held = registry.lock()) {
      PreviewRecord r = registry.read(name).orElseThrow(() -> new PreviewException("there is no preview " + name,
          "`slipway preview list` shows the previews there are", PreviewException.NOT_FOUND));
      if (busy.contains(name) || r.actedOnElsewhere()) {
        throw new PreviewException("preview " + name + " is being started or removed right now",
            "wait for that to finish, then try again", PreviewException.REFUSED);
      }
      busy.add(name);
      removing = r.withState("removing", null).withActor(ProcessHandle.current().pid(),
          ProcessIds.startTicks(ProcessHandle.current().pid()));
      registry.write(removing);
    }
    try {
      stop(removing, progress);
      remove(name);
      return removing.withState("removed", null).view();
    } finally {
      busy.remove(name);
    }
  }

  /**
   * Removes every preview whose TTL passed at {@code now}; cheap when none did (one directory read).
   * Returns the previews removed, each with state {@code expired}; says on {@code progress} what it
   * removed, and nothing else.
   */
  public List<PreviewView> sweep(Instant now, Consumer<String> progress) throws PreviewException {
    List<PreviewView> removed = new ArrayList<>();
    for (PreviewRecord r : registry.all()) {
      Instant expires = r.expires();
      if (expires == null || !expires.isBefore(now) || busy.contains(r.name()) || r.actedOnElsewhere()) {
        continue;
      }
      try {
        down(r.name(), line -> { });
      } catch (PreviewException e) {
        if (e.exitCode() == PreviewException.NOT_FOUND || e.exitCode() == PreviewException.REFUSED) {
          continue; // another sweeper, or a down, got there first
        }
        progress.accept("could not remove expired preview " + r.name() + ": " + e.getMessage());
        continue;
      }
      progress.accept("removed expired preview " + r.name() + " (TTL " + r.ttl() + " passed at " + expires + ")");
      removed.add(r.withState("expired", "TTL " + r.ttl() + " passed at " + expires).view());
    }
    return removed;
  }

  /** The registry's directory. */
  public Path registryDir() {
    return registry.dir();
  }

  public PreviewSettings settings() {
    return settings;
  }

  private void stop(PreviewRecord r, Consumer<String> progress) throws PreviewException {
    if (r.target().equals("kubernetes")) {
      AppSpec app = load(Path.of(r.modelFile()), r.environment());
      cluster.down(app, app.selectedEnvironment().orElseThrow(), r.location(), progress);
    } else {
      local.stop(r, registry.home(r.name()), progress);
    }
  }

  private void write(PreviewRecord r) throws PreviewException {
    try (Registry.Held held = registry.lock()) {
      registry.write(r);
    }
  }

  private void remove(String name) throws PreviewException {
    try (Registry.Held held = registry.lock()) {
      registry.remove(name);
    }
  }

  /** A preview's name is a DNS label: it names a directory here and a namespace on a cluster. */
  static String checkName(String name) throws PreviewException {
    if (name == null || !DNS_LABEL.matcher(name).matches()) {
      throw new PreviewException("preview name `" + name + "` is not a DNS label",
          "use lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit (e.g. pr-42)",
          PreviewException.BAD_INPUT);
    }
    return name;
  }

  /** {@code 48h}, {@code 90m}, {@code 2s} or ISO-8601 ({@code PT48H}); positive. */
  static Duration ttl(String text) throws PreviewException {
    Duration d;
    try {
      d = text.strip().toUpperCase().startsWith("P") ? Duration.parse(text.strip()) : Durations.parseArgument(text);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new PreviewException("--ttl " + text + ": " + e.getMessage(), "write it like `48h`, `90m` or `2d`",
          PreviewException.BAD_INPUT);
    }
    if (d.isZero() || d.isNegative()) {
      throw new PreviewException("--ttl " + text + " is not a positive duration", "write it like `48h`",
          PreviewException.BAD_INPUT);
    }
    return d;
  }

  private static Path modelFile(String file) throws PreviewException {
    if (file == null || file.isBlank()) {
      throw new PreviewException("a preview needs the model file it runs", "give the request's modelFile",
          PreviewException.BAD_INPUT);
    }
    Path model = Path.of(file).toAbsolutePath().normalize();
    if (!Files.isRegularFile(model)) {
      throw new PreviewException("the model file " + model + " does not exist", "point -f (or modelFile) at slipway.yaml",
          PreviewException.BAD_INPUT);
    }
    return model;
  }

  private static AppSpec load(Path model, String env) throws PreviewException {
    try {
      return ModelLoader.load(model, env);
    } catch (ModelException e) {
      throw new PreviewException(e.format(), null, PreviewException.BAD_INPUT, e);
    }
  }

  /** {@code 48h}, {@code 1h30m}, {@code 3s}: how a TTL is typed. */
  static String compact(Duration d) {
    long s = d.toSeconds();
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      b.append(s % 3600 / 60).append('m');
    }
    if (s % 60 > 0 || b.isEmpty()) {
      b.append(s % 60).append('s');
    }
    return b.toString();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
