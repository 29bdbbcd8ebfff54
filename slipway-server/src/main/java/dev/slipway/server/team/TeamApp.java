package dev.slipway.server.team;

import dev.slipway.api.team.Roles;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.preview.PreviewException;
import dev.slipway.preview.PreviewSettings;
import dev.slipway.preview.Previews;
import dev.slipway.store.audit.AuditLog;
import dev.slipway.store.audit.AuditSigner;
import dev.slipway.store.team.TeamStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The team server assembled over a ledger: the first admin at first start, crash recovery of runs, the
 * HTTP routes, the checkpoint ticker and {@code DATA/server.json} once it listens.
 */
public final class TeamApp implements AutoCloseable {
  static final String ADMIN_TOKEN_FILE = "admin-token";
  static final String SERVER_FILE = "server.json";

  private final TeamSettings settings;
  private final TeamContext context;
  private final Runs runs;
  private final Checkpoints checkpoints;
  private final PreviewSweeper sweeper;
  private final TeamServer server;
  private final URI url;
  /** Set once started: closed first, so no promotion starts a run while the server stops. */
  private Promotions promotions;

  private TeamApp(TeamSettings settings, TeamContext context, Runs runs, Checkpoints checkpoints,
      PreviewSweeper sweeper, TeamServer server, URI url) {
    this.settings = settings;
    this.context = context;
    this.runs = runs;
    this.checkpoints = checkpoints;
    this.sweeper = sweeper;
    this.server = server;
    this.url = url;
  }

  /**
   * Starts the server.
   *
   * @param checkpointSeconds how often the ticker checks whether the chain grew (at most 60)
   */
  static TeamApp start(TeamStore store, AuditLog audit, AuditSigner signer, TeamSettings settings,
      InetSocketAddress listen, Clock clock, long checkpointSeconds, PrintStream out) throws IOException {
    Files.createDirectories(settings.dataDir());
    TeamLedger ledger = new StoreLedger(store, audit, signer);
    TeamModel model = new TeamModel(settings.modelFile());
    Runs runs = new Runs(ledger, model, new ClusterRunActions(model, settings, ledger, clock), clock);
    TeamContext context = new TeamContext(store, audit, settings, model, runs, clock);
    Checkpoints checkpoints = new Checkpoints(ledger, clock, out);
    // The URL is known only once bound (port 0), and whoami names it: bind first, then register.
    URI[] url = new URI[1];
    List<TeamRoutes> routes = new ArrayList<>();
    routes.add(new UserRoutes(ledger, clock, () -> url[0].toString()));
    routes.add(new EnvironmentRoutes(ledger, model, runs, clock));
    routes.add(new RunRoutes(runs));
    routes.add(new AuditRoutes(ledger, checkpoints));
    Previews previews = openPreviews(settings);
    routes.add(new PreviewRoutes(previews, model, audit));
    PreviewSweeper sweeper = new PreviewSweeper(previews, audit, clock, out);
    Promotions promotions = Promotions.start(store, model, runs, clock, PromotionTicker.fromEnvironment(), out::println);
    routes.add(new PromotionRoutes(promotions));
    routes.add(new FreezeRoutes(store, model, clock));
    TeamServer server = new TeamServer(ledger, routes);
    InetSocketAddress bound = server.start(listen);
    url[0] = URI.create("http://" + (bound.getAddress().getHostAddress().contains(":") ? "[" + bound.getAddress()
        .getHostAddress() + "]" : bound.getAddress().getHostAddress()) + ":" + bound.getPort());
    TeamApp app = new TeamApp(settings, context, runs, checkpoints, sweeper, server, url[0]);
    app.promotions = promotions;
    app.bootstrapAdmin(ledger, clock, out);
    runs.recover();
    checkpoints.start(Math.max(1, Math.min(60, checkpointSeconds)));
    sweeper.start(PreviewSweeper.PERIOD_SECONDS);
    app.writeServerFile();
    out.println("slipway server: listening on " + url[0] + " (health: " + url[0] + TeamPaths.HEALTH + "); data in "
        + settings.dataDir());
    return app;
  }

  private static Previews openPreviews(TeamSettings settings) throws IOException {
    PreviewSettings preview = PreviewSettings.ofThisJvm().withQuota(settings.previewQuota())
        .withKubeconfig(settings.kubeconfig());
    try {
      return Previews.open(settings.previewsDir(), preview);
    } catch (PreviewException e) {
      throw new IOException(e.getMessage() + "; " + e.fix(), e);
    }
  }

  public URI url() {
    return url;
  }

  public TeamContext context() {
    return context;
  }

  /** At first start (no users): user {@code admin}, its token in {@code DATA/admin-token} (0600), never printed. */
  private void bootstrapAdmin(TeamLedger ledger, Clock clock, PrintStream out) throws IOException {
    if (ledger.hasUsers()) {
      return;
    }
    String token = Tokens.create();
    Path file = settings.dataDir().resolve(ADMIN_TOKEN_FILE);
    writePrivate(file, token + "\n");
    ledger.putUser("admin", List.of(Roles.ADMIN), Tokens.hash(token), "slipway-server", clock.instant(),
        new RunLedger.Audit("slipway-server", "user.add", null, null, null, null, null, null, "first start",
            "user admin roles [admin]"));
    out.println("slipway server: first start: user admin created; its token is in " + file + " (mode 0600). Log in: "
        + "slipway login --server " + url + " --token-file " + file);
  }

  private void writeServerFile() throws IOException {
    long pid = ProcessHandle.current().pid();
    String json = dev.slipway.server.Json.MAPPER.writeValueAsString(new ServerFile(url.toString(), pid,
        dev.slipway.api.ControlPlaneInfo.startTicksOf(pid), settings.modelFile().toString(), settings.dataDir().toString()));
    Path tmp = settings.dataDir().resolve(SERVER_FILE + ".tmp");
    Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, settings.dataDir().resolve(SERVER_FILE), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Written with mode 0600 from the start, so the token is never readable by others, not even briefly. */
  static void writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /**
   * What {@code DATA/server.json} holds while the server runs.
   *
   * @param startTicks the process's start time from /proc, to tell it from a later process with the same pid
   */
  record ServerFile(String url, long pid, long startTicks, String modelFile, String dataDir) {}

  @Override
  public void close() {
    if (promotions != null) {
      promotions.close();
    }
    sweeper.close();
    checkpoints.close();
    server.close();
    runs.close();
    try {
      Files.deleteIfExists(settings.dataDir().resolve(SERVER_FILE));
    } catch (IOException e) {
      // A stale server.json names a pid that is gone (or has other start ticks): readers tell.
    }
  }
}
