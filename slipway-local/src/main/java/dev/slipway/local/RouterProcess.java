package dev.slipway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.Durations;
import dev.slipway.model.RouterLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Slipway's router ({@code slipway-router}, a reverse proxy) as a supervised process group of its
 * own, started from this JVM's class path: it keeps serving while the control plane is down, and a
 * later control plane reattaches to it. Its admin API listens on 127.0.0.1 on a port allocated once
 * (owner {@code router-admin}) and kept across its restarts; it writes {@code router/router.json}
 * ({@code {"pid", "adminPort"}}) once it listens, and again after every restart, and the address is
 * re-read from there whenever the pid changed.
 */
final class RouterProcess implements RouterClient.Admin {

  static final String NAME = "router";
  static final String KIND = "router";
  static final String MAIN = "dev.slipway.router.RouterMain";
  static final String ROUTER_JSON = "router.json";
  /** The owner of the admin port in state/ports.json. */
  static final String ADMIN_OWNER = "router-admin";
  /** Where the router persists the routes it serves, in its state directory (its file, not ours). */
  static final String ROUTES = "routes.json";
  /**
   * The flags the router's author recommends (bench/router/run.sh, "the ones docs/router.md
   * recommends"): a small fixed heap touched up front, the collector with the least overhead, small
   * stacks, Netty's native transport without a warning, no leak detection; plus exit on OOM, so the
   * supervisor restarts it rather than letting it limp.
   */
  static final List<String> JVM_FLAGS = List.of("-Xms64m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:+AlwaysPreTouch",
      "-Xss512k", "--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled",
      "-XX:+ExitOnOutOfMemoryError");
  static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  /** The router drains in-flight requests for up to 5 s on TERM; it is killed only after that. */
  static final Duration GRACE = Duration.ofSeconds(7);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What router.json says. */
  record Address(long pid, int adminPort) {}

  /** A router process confirmed to listen on the admin port of {@code address}. */
  private record Owner(Address address, ProcessGroups.Key process) {}

  private final Supervisor supervisor;
  private final Path dir;
  private final String token;
  private final LocalContext ctx;
  private volatile Address address;
  private volatile Owner owner;

  private RouterProcess(Supervisor supervisor, Path dir, String token, LocalContext ctx) {
    this.supervisor = supervisor;
    this.dir = dir;
    this.token = token;
    this.ctx = ctx;
  }

  /**
   * Reattaches to the router an earlier control plane left running, or starts one; returns once
   * its admin API answers {@code /health}.
   */
  static RouterProcess startOrAdopt(LocalContext ctx, RouterLimits limits) throws TargetException {
    Path dir = ctx.layout().router();
    Path tokenFile = dir.resolve("token");
    Supervisor supervisor = null;
    try {
      ProcessRegistry.Entry adopted = ctx.adoption().claim(KIND, NAME).orElse(null);
      Address running = adopted != null && Leftovers.leaderRuns(adopted) && Files.isReadable(tokenFile)
          ? read(dir, adopted.pid()) : null;
      // The admin port stays the same across restarts (its supervisor relaunches it with the same
      // argv), so a metrics URL handed out once keeps working.
      int adminPort;
      if (running != null) {
        adminPort = running.adminPort();
        ctx.ports().claim(ADMIN_OWNER, adminPort);
      } else {
        adminPort = ctx.ports().allocate(ADMIN_OWNER, true);
      }
      supervisor = ctx.supervisor(new Launch(NAME, KIND, argv(dir, tokenFile, adminPort, limits), Map.of(), dir,
          ctx.layout().routerLog(), Signal.TERM, "slipway router (" + MAIN + ")"));
      String token;
      if (running != null) {
        token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        ctx.masker().register(token);
        supervisor.adopt(adopted);
      } else {
        if (adopted != null) {
          ctx.adoption().replace(adopted);
        }
        token = newToken(tokenFile);
        ctx.masker().register(token);
        Files.deleteIfExists(dir.resolve(ROUTER_JSON)); // a stale one would point at a dead router
        supervisor.start();
      }
      RouterProcess router = new RouterProcess(supervisor, dir, token, ctx);
      router.awaitReady();
      return router;
    } catch (IOException e) {
      if (supervisor != null) {
        supervisor.stop(GRACE);
      }
      throw new TargetException(NAME, "cannot start the router: " + e.getMessage(),
          "check that " + dir + " is writable and `java` can run; the log is " + ctx.layout().routerLog(), e);
    }
  }

  /**
   * {@code java <flags> -cp <our class path> RouterMain --state-dir ... --admin-port N --token-file ...
   * [the environment's router limits]}.
   */
  static List<String> argv(Path dir, Path tokenFile, int adminPort, RouterLimits limits) {
    List<String> argv = new ArrayList<>();
    argv.add(javaBinary());
    argv.addAll(JVM_FLAGS);
    argv.addAll(List.of("-cp", classPath(), MAIN, "--state-dir", dir.toString(),
        "--admin-port", Integer.toString(adminPort), "--token-file", tokenFile.toString()));
    argv.addAll(limitFlags(limits));
    return argv;
  }

  /** The router's flags for what the model sets (docs/router.md, "Limits"); nothing for the defaults. */
  static List<String> limitFlags(RouterLimits limits) {
    List<String> flags = new ArrayList<>();
    if (limits == null) {
      return flags;
    }
    if (limits.maxConnections() != null) {
      flags.addAll(List.of("--max-connections", limits.maxConnections().toString()));
    }
    duration(flags, "--request-head-timeout", limits.requestHeadTimeout());
    duration(flags, "--body-idle-timeout", limits.bodyIdleTimeout());
    duration(flags, "--keep-alive-timeout", limits.keepAliveTimeout());
    duration(flags, "--tunnel-idle-timeout", limits.tunnelIdleTimeout());
    if (limits.maxConnectionsPerBackend() != null) {
      flags.addAll(List.of("--max-connections-per-backend", limits.maxConnectionsPerBackend().toString()));
    }
    return flags;
  }

  private static void duration(List<String> flags, String flag, Duration d) {
    if (d != null) {
      flags.addAll(List.of(flag, Math.max(1, d.toMillis()) + "ms"));
    }
  }

  /**
   * This JVM's class path (slipway-router is a runtime dependency of this module, so it is on it),
   * with relative entries made absolute: the router runs in its own directory.
   */
  static String classPath() {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(e.endsWith("*") ? Path.of(e.substring(0, e.length() - 1)).toAbsolutePath() + "/*"
            : Path.of(e).toAbsolutePath().toString());
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** 32 random bytes, hex, in a 0600 file written before the router starts. */
  private static String newToken(Path tokenFile) throws IOException {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    dev.slipway.api.DurableFiles.write(tokenFile, (token + "\n").getBytes(StandardCharsets.UTF_8));
    return token;
  }

  private void awaitReady() throws TargetException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try (RouterClient probe = new RouterClient(this)) {
      while (true) {
        if (supervisor.exits() > 0) {
          throw supervisor.failStart("the router exited while starting", "the log lines below say why");
        }
        Address a = read(dir, supervisor.pid());
        if (a != null && probe.healthy(a.adminPort())) {
          address = a;
          return;
        }
        if (System.nanoTime() - deadline >= 0) {
          throw supervisor.failStart("the router did not answer /health within " + Durations.human(START_TIMEOUT)
              + (a == null ? " (it wrote no router.json)" : " on port " + a.adminPort()),
              "the log lines below may say why");
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw supervisor.failStart("interrupted while waiting for the router", "try again");
    }
  }

  /** router.json when it belongs to the router running as {@code pid}, else null (not written yet, stale). */
  private static Address read(Path dir, long pid) {
    Path file = dir.resolve(ROUTER_JSON);
    try {
      if (pid <= 0 || !Files.exists(file)) {
        return null;
      }
      JsonNode json = JsonFiles.MAPPER.readTree(file.toFile());
      long filePid = json.path("pid").asLong(-1);
      int port = json.path("adminPort").asInt(0);
      return filePid == pid && port > 0 ? new Address(filePid, port) : null;
    } catch (IOException e) {
      return null; // being written, or damaged: the router writes it again when it restarts
    }
  }

  /**
   * The admin port of the router this supervisor runs, confirmed before anything (the admin token)
   * is sent there: router.json must be written by the supervised pid, and that process must be alive
   * and hold the port. A router that died leaves its port to whoever takes it next; that process must
   * not receive the token (RouterClient and the metric scrape both come through here).
   */
  @Override
  public int port() throws IOException {
    Address a = address;
    long pid = supervisor.pid();
    if (a == null || a.pid() != pid) {
      a = read(dir, pid);
      if (a == null) {
        throw new java.net.ConnectException("the router " + (pid <= 0 ? "is restarting" : "(pid " + pid
            + ") has not written router.json yet"));
      }
      address = a;
    }
    confirmOwner(a);
    return a.adminPort();
  }

  /** Throws unless the process {@code a} names is alive and listens on its admin port. */
  private void confirmOwner(Address a) throws IOException {
    Owner o = owner;
    if (o != null && o.address().equals(a) && o.process().alive()) {
      return; // it held the port when confirmed and has not exited since, so it still does
    }
    java.util.Optional<Boolean> listens = PortOwner.listens(a.pid(), a.adminPort());
    if (listens.isEmpty()) {
      // No /proc: the pid check is all there is.
      if (ProcessHandle.of(a.pid()).map(ProcessHandle::isAlive).orElse(false)) {
        return;
      }
      throw new java.net.ConnectException("the router (pid " + a.pid() + ") has exited");
    }
    ProcStat stat = ProcStat.read(a.pid()).filter(ProcStat::alive).orElse(null);
    if (!listens.get() || stat == null) {
      throw new java.net.ConnectException("port " + a.adminPort() + " is not held by the router (pid " + a.pid()
          + "): it has exited, or another process has the port");
    }
    owner = new Owner(a, new ProcessGroups.Key(stat.pid(), stat.startTicks()));
  }

  /** The admin port last known (for display and metrics while the router restarts). */
  int lastPort() {
    Address a = address;
    return a == null ? 0 : a.adminPort();
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public List<String> evidence() {
    return LogTail.lines(ctx.layout().routerLog(), 20, ctx.masker());
  }

  long pid() {
    return supervisor.pid();
  }

  int restarts() {
    return supervisor.restarts();
  }

  Supervisor supervisor() {
    return supervisor;
  }

  void stop() {
    supervisor.stop(GRACE);
  }
}
