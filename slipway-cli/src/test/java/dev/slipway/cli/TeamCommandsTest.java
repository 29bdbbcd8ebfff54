package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.team.ApprovalView;
import dev.slipway.api.team.ConfigChangeView;
import dev.slipway.api.team.FreezeRequest;
import dev.slipway.api.team.FreezeView;
import dev.slipway.api.team.GateView;
import dev.slipway.api.team.NewUserRequest;
import dev.slipway.api.team.NewUserResponse;
import dev.slipway.api.team.PromotionItem;
import dev.slipway.api.team.PromotionRequest;
import dev.slipway.api.team.PromotionView;
import dev.slipway.api.team.RunView;
import dev.slipway.api.team.ServerDeployRequest;
import dev.slipway.api.team.UserView;
import dev.slipway.api.team.WhoAmIView;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team server's commands against a real HTTP server standing in for it ({@link TeamServerStandIn},
 * canned API records): what they send, what they print, their exit codes, and that the token is never
 * printed. Every test plants {@link #MARKER} as the token and checks no output carries it.
 */
class TeamCommandsTest {
  static final String MARKER = "slw_MARKER-token-never-printed-4c1d";
  private static final String SHOP = Path.of("..", "examples", "shop", "slipway.yaml").toAbsolutePath().normalize()
      .toString();
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir
  Path home;
  private TeamServerStandIn server;
  private final Map<String, String> env = new HashMap<>();
  private String stdin = "";
  private Optional<Boolean> answer = Optional.empty();
  private final List<String> asked = new ArrayList<>();
  private final List<String> clustersOpened = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new TeamServerStandIn(MARKER);
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    env.put("HOME", home.toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void useEnvironment() {
    env.put("SLIPWAY_SERVER", server.url());
    env.put("SLIPWAY_TOKEN", MARKER);
  }

  private CliTestSupport.Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main main = new Main((app, e, dir, o, progress) -> {
      clustersOpened.add(e.name());
      throw new dev.slipway.kubernetes.KubernetesException("no cluster in this test", null, null, "none", 1);
    }, new Terminal() {
      @Override
      public Optional<Boolean> confirm(String question) {
        asked.add(question);
        return answer;
      }
    }, env::get, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    int code = Main.execute(main, args, new PrintWriter(out, true), new PrintWriter(err, true));
    CliTestSupport.Result r = new CliTestSupport.Result(code, out.toString(), err.toString());
    assertThat(r.out() + r.err()).as("the token in " + r.output()).doesNotContain(MARKER);
    return r;
  }

  @Test
  void previews_afterLogin_goThroughTheServer_namedByTheLoginFile() {
    server.on("GET /api/v1/team/whoami", 200, new WhoAmIView("alice", List.of("deployer"), null));
    server.on("GET /api/v1/team/previews", 200, List.of(new dev.slipway.api.team.PreviewView("pr-7", "local", "up",
        "working tree", "/srv/previews/pr-7/state", Map.of("web", "http://127.0.0.1:41234"), "alice", T0,
        T0.plusSeconds(3600), null)));
    server.on("DELETE /api/v1/team/previews/pr-7", 200, new dev.slipway.api.team.PreviewView("pr-7", "local", "removed",
        "working tree", "/srv/previews/pr-7/state", Map.of(), "alice", T0, T0.plusSeconds(3600), null));
    stdin = MARKER + "\n";
    assertThat(cli("login", "--server", server.url()).code()).isZero();

    CliTestSupport.Result list = cli("preview", "list");
    CliTestSupport.Result down = cli("preview", "down", "pr-7");

    assertThat(list.code()).as(list.output()).isZero();
    assertThat(list.out()).contains("pr-7").contains("http://127.0.0.1:41234");
    assertThat(down.code()).as(down.output()).isZero();
    assertThat(server.requests).extracting(q -> q.method() + " " + q.path())
        .contains("GET /api/v1/team/previews", "DELETE /api/v1/team/previews/pr-7");
    assertThat(server.requests).allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer " + MARKER));
  }

  @Test
  void whoami_sendsTheTokenFromTheEnvironment_asABearerHeader_andNeverPrintsIt() {
    useEnvironment();
    server.on("GET /api/v1/team/whoami", 200, new WhoAmIView("alice", List.of("deployer"), "slipway 0.1.0"));

    CliTestSupport.Result r = cli("whoami");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).isEqualTo("alice [deployer] on " + server.url() + " (slipway 0.1.0)\n");
    assertThat(server.requests).singleElement().satisfies(q -> assertThat(q.authorization()).isEqualTo("Bearer " + MARKER));
  }

  @Test
  void login_readsTheTokenFromStdin_checksIt_andKeepsItInA0600File_thatLaterCommandsUse() throws Exception {
    server.on("GET /api/v1/team/whoami", 200, new WhoAmIView("alice", List.of("deployer"), null));
    stdin = MARKER + "\n";

    CliTestSupport.Result login = cli("login", "--server", server.url());
    CliTestSupport.Result whoami = cli("whoami");

    assertThat(login.code()).as(login.output()).isZero();
    assertThat(login.out()).contains("logged in to " + server.url() + " as alice [deployer]");
    Path file = home.resolve("config/slipway/credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(CliTestSupport.JSON.readTree(file.toFile()).get("token").asText()).isEqualTo(MARKER);
    assertThat(whoami.code()).as(whoami.output()).isZero();
    assertThat(server.requests).hasSize(2).allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer " + MARKER));

    CliTestSupport.Result logout = cli("logout");
    assertThat(logout.out()).contains("logged out");
    assertThat(file).doesNotExist();
    assertThat(cli("whoami").err()).contains("no team server is configured").contains("slipway login --server URL");
  }

  @Test
  void login_whenTheServerRefusesTheToken_keepsNothing_andExits1() {
    stdin = "slw_wrong\n";

    CliTestSupport.Result r = cli("login", "--server", server.url());

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.err()).contains("the token is not known to this server").doesNotContain("slw_wrong");
    assertThat(home.resolve("config/slipway/credentials.json")).doesNotExist();
  }

  @Test
  void aLoginFileOthersMayRead_isRefused_withTheChmodThatFixesIt() throws Exception {
    Path file = home.resolve("config/slipway/credentials.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"server\":\"" + server.url() + "\",\"token\":\"" + MARKER + "\"}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    CliTestSupport.Result r = cli("whoami");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.err()).contains(file + " holds a token but others may read it (mode rw-r--r--)")
        .contains("chmod 600 " + file);
    assertThat(server.requests).isEmpty();
  }

  @Test
  void errors_keepTheServersWords_401And403Exit1_conflictsAndBadInputExit2() {
    useEnvironment();
    server.on("POST /api/v1/team/promotions/4/approve", 403, TeamServerStandIn.error(403, "forbidden",
        "alice (deployer) may not approve promotions into production: that needs one of the roles [release]",
        "ask an admin: slipway user add alice --role release"));
    server.on("POST /api/v1/team/promotions/5/approve", 409, TeamServerStandIn.error(409, "self-approval",
        "alice requested promotion 5 and may not approve it", "ask another approver"));
    server.on("POST /api/v1/team/promotions/6/approve", 422, TeamServerStandIn.error(422, "invalid", "promotion 6 has ended"));
    server.on("POST /api/v1/team/promotions/7/approve", 400, "not json at all");
    server.on("POST /api/v1/team/promotions/8/approve", 500, TeamServerStandIn.error(500, "internal", "the store is down"));

    CliTestSupport.Result forbidden = cli("approve", "4");
    CliTestSupport.Result self = cli("approve", "5");
    CliTestSupport.Result ended = cli("approve", "6");
    CliTestSupport.Result garbled = cli("approve", "7");
    CliTestSupport.Result broken = cli("approve", "8");
    env.put("SLIPWAY_TOKEN", "slw_someone-else");
    CliTestSupport.Result unknown = cli("approve", "4");

    assertThat(forbidden.code()).isEqualTo(1);
    assertThat(forbidden.err()).isEqualTo("error: alice (deployer) may not approve promotions into production: that needs"
        + " one of the roles [release]\n    ask an admin: slipway user add alice --role release\n");
    assertThat(self.code()).isEqualTo(2);
    assertThat(self.err()).contains("alice requested promotion 5 and may not approve it").contains("ask another approver");
    assertThat(ended.code()).isEqualTo(2);
    assertThat(garbled.code()).isEqualTo(2);
    assertThat(garbled.err()).contains("HTTP 400");
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("the store is down");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("the token is not known to this server").doesNotContain("slw_someone-else");
  }

  @Test
  void anUnreachableServer_isNamed_withHowToStartOne_exit1() {
    String url = server.url();
    server.close();
    env.put("SLIPWAY_SERVER", url);
    env.put("SLIPWAY_TOKEN", MARKER);

    CliTestSupport.Result r = cli("users");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach the team server at " + url).contains("`slipway server`")
        .doesNotContain("\tat ");
  }

  @Test
  void userAdd_printsTheTokenOnce_sayingItWillNotBeShownAgain() throws Exception {
    useEnvironment();
    server.on("POST /api/v1/team/users", r -> new TeamServerStandIn.Reply(201, new NewUserResponse(
        new UserView("bob", List.of("approver", "release"), T0, "admin"), "slw_bobs-new-token")));
    server.on("GET /api/v1/team/users", 200, List.of(new UserView("admin", List.of("admin"), T0, null),
        new UserView("bob", List.of("approver", "release"), T0, "admin")));

    CliTestSupport.Result add = cli("user", "add", "bob", "--role", "approver", "--role", "release");
    CliTestSupport.Result users = cli("users");

    assertThat(add.code()).as(add.output()).isZero();
    assertThat(add.out()).contains("bob [approver, release]").containsOnlyOnce("slw_bobs-new-token")
        .contains("will not be shown again");
    assertThat(TeamClient.JSON.readValue(server.requests.get(0).body(), NewUserRequest.class))
        .isEqualTo(new NewUserRequest("bob", List.of("approver", "release")));
    assertThat(users.out()).contains("NAME   ROLES             ADDED                 BY")
        .contains("bob    approver,release  2026-12-07T10:00:00Z  admin");
  }

  private PromotionView promotion(long id, String state, List<GateView> gates) {
    return new PromotionView(id, "staging", "production", state,
        List.of(new PromotionItem("api", "r3", "ghcr.io/acme/api@sha256:aaa", "r2", "ghcr.io/acme/api@sha256:bbb")),
        List.of(new ConfigChangeView("api", "LOG_LEVEL", "changed", "info", "warn"),
            new ConfigChangeView("api", "DB_PASSWORD", "changed", "****", "****"),
            new ConfigChangeView("api", "FEATURE_X", "added", null, "on")),
        gates, List.of(), "alice", T0, null, state.equals("waiting") ? "needs 1 approval from release" : null, List.of());
  }

  private static final List<GateView> GATES = List.of(new GateView("verified", true, "api r3 verified in staging"),
      new GateView("soak", false, "soak 45m of 1h"), new GateView("approvals", false, "needs 1 approval from release"));

  @Test
  void promoteTo_showsWhatChangesAndEveryGate_thenRequests_withYes() throws Exception {
    useEnvironment();
    server.on("POST /api/v1/team/promotions", r -> r.query() != null && r.query().equals("dryRun=true")
        ? new TeamServerStandIn.Reply(200, promotion(0, "waiting", GATES))
        : new TeamServerStandIn.Reply(201, promotion(7, "waiting", GATES)));

    CliTestSupport.Result r = cli("promote", "--to", "production", "--services", "api", "--reason", "weekly", "--yes");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).contains("Promotion staging → production would change:\n  services:\n"
        + "    api  r3 ghcr.io/acme/api@sha256:aaa  (production runs r2 ghcr.io/acme/api@sha256:bbb)\n"
        + "  configuration:\n"
        + "    api  LOG_LEVEL    changed  info → warn\n"
        + "    api  DB_PASSWORD  changed  **** → ****\n"
        + "    api  FEATURE_X    added    = on\n"
        + "  gates:\n"
        + "    ✓ verified   api r3 verified in staging\n"
        + "    ✗ soak       soak 45m of 1h\n"
        + "    ✗ approvals  needs 1 approval from release\n")
        .contains("✓ requested promotion 7 staging → production: waiting (soak 45m of 1h; needs 1 approval from release)")
        .contains("slipway approve 7");
    assertThat(server.lines()).containsExactly("POST /api/v1/team/promotions?dryRun=true", "POST /api/v1/team/promotions");
    assertThat(TeamClient.JSON.readValue(server.requests.get(1).body(), PromotionRequest.class))
        .isEqualTo(new PromotionRequest("production", List.of("api"), "weekly", false));
    assertThat(asked).isEmpty();
  }

  @Test
  void promoteTo_asksAtATerminal_andANoRequestsNothing_withoutATerminalItJustRequests() {
    useEnvironment();
    server.on("POST /api/v1/team/promotions", r -> r.query() != null
        ? new TeamServerStandIn.Reply(200, promotion(0, "waiting", GATES))
        : new TeamServerStandIn.Reply(201, promotion(8, "waiting", GATES)));

    answer = Optional.of(false);
    CliTestSupport.Result declined = cli("promote", "--to", "production");
    answer = Optional.empty();
    CliTestSupport.Result unattended = cli("promote", "--to", "production");

    assertThat(declined.code()).as(declined.output()).isEqualTo(1);
    assertThat(declined.out()).contains("✗ soak").endsWith("Nothing requested.\n");
    assertThat(asked).containsExactly("Request this promotion into production?", "Request this promotion into production?");
    assertThat(unattended.code()).as(unattended.output()).isZero();
    assertThat(server.lines()).containsExactly("POST /api/v1/team/promotions?dryRun=true",
        "POST /api/v1/team/promotions?dryRun=true", "POST /api/v1/team/promotions");
  }

  @Test
  void promoteTo_whenNothingIsVerifiedThatDiffers_requestsNothing_exit1() {
    useEnvironment();
    server.on("POST /api/v1/team/promotions", 200, new PromotionView(0, "staging", "production", "waiting", List.of(),
        List.of(), GATES, List.of(), "alice", T0, null, null, List.of()));

    CliTestSupport.Result r = cli("promote", "--to", "production", "--yes");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("Nothing to promote");
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void promote_keepsItsCanaryMeaning_andSaysWhatIsMissing() {
    CliTestSupport.Result none = cli("promote");
    CliTestSupport.Result both = cli("promote", "api", "--to", "production");
    CliTestSupport.Result stray = cli("promote", "api", "--yes");

    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("give SERVICE").contains("--to ENV");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("SERVICE `api` does not go with --to");
    assertThat(stray.code()).isEqualTo(2);
    assertThat(stray.err()).contains("--yes is for promotion into an environment");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void approveAndReject_sendTheComment_andShowWhatTheyLeft() throws Exception {
    useEnvironment();
    PromotionView approved = new PromotionView(7, "staging", "production", "running", List.of(), List.of(), List.of(),
        List.of(new ApprovalView("bob", "approved", "ok", T0)), "alice", T0, null, null, List.of(11L));
    server.on("POST /api/v1/team/promotions/7/approve", 200, approved);
    server.on("POST /api/v1/team/promotions/8/reject", 200, promotion(8, "rejected", GATES));

    CliTestSupport.Result ok = cli("approve", "7", "--comment", "ok");
    CliTestSupport.Result no = cli("reject", "8", "--comment", "wrong build");
    CliTestSupport.Result noReason = cli("reject", "8");

    assertThat(ok.out()).isEqualTo("✓ approved promotion 7 staging → production: now running\n");
    assertThat(no.out()).isEqualTo("✓ rejected promotion 8 staging → production: now rejected\n");
    assertThat(server.requests.get(1).body()).isEqualTo("{\"comment\":\"wrong build\"}");
    assertThat(noReason.code()).isEqualTo(2);
    assertThat(server.requests).hasSize(2);
  }

  @Test
  void freeze_takesADurationFromNowOrAnInstant_andUnfreezeDeletes() throws Exception {
    useEnvironment();
    server.on("PUT /api/v1/team/environments/production/freeze", r -> {
      try {
        FreezeRequest f = TeamClient.JSON.readValue(r.body(), FreezeRequest.class);
        return new TeamServerStandIn.Reply(200, new FreezeView("production", f.until(), f.reason(), "admin", T0));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    server.on("DELETE /api/v1/team/environments/production/freeze", 204, null);

    Instant before = Instant.now();
    CliTestSupport.Result inTwoHours = cli("freeze", "production", "--until", "2h", "--reason", "release freeze");
    CliTestSupport.Result christmas = cli("freeze", "production", "--until", "2026-12-24T00:00:00Z", "--reason", "xmas");
    CliTestSupport.Result bad = cli("freeze", "production", "--until", "tomorrow", "--reason", "x");
    CliTestSupport.Result thaw = cli("unfreeze", "production");

    assertThat(inTwoHours.code()).as(inTwoHours.output()).isZero();
    Instant until = TeamClient.JSON.readValue(server.requests.get(0).body(), FreezeRequest.class).until();
    assertThat(until).isBetween(before.plus(Duration.ofHours(2)), Instant.now().plus(Duration.ofHours(2)));
    assertThat(christmas.out()).isEqualTo("✓ production frozen until 2026-12-24T00:00:00Z: xmas (by admin)\n");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--until `tomorrow` is neither an instant nor a duration");
    assertThat(thaw.code()).as(thaw.output()).isZero();
    assertThat(server.lines()).containsExactly("PUT /api/v1/team/environments/production/freeze",
        "PUT /api/v1/team/environments/production/freeze", "DELETE /api/v1/team/environments/production/freeze");
  }

  private static RunView run(long id, String state, String message, Instant finished) {
    return new RunView(id, "deploy", "staging", "api", state, message, "r3", "ghcr.io/acme/api:v2", "alice", T0, finished, 0);
  }

  @Test
  void deploy_onAKubernetesEnvironment_withAServer_goesThroughIt_andWaitFollowsTheRun() throws Exception {
    useEnvironment();
    server.on("POST /api/v1/team/environments/staging/services/api/deploy", 202, run(12, "pending", null, null));
    AtomicInteger polls = new AtomicInteger();
    server.on("GET /api/v1/team/runs/12", r -> new TeamServerStandIn.Reply(200, switch (polls.incrementAndGet()) {
      case 1 -> run(12, "running", "api r3: 1/2 pods ready", null);
      case 2 -> run(12, "running", "api r3: 1/2 pods ready", null);
      case 3 -> run(12, "running", "api r3: 2/2 pods ready", null);
      default -> run(12, "succeeded", "api r3 is live (rolling, 4.1 s)", T0.plusSeconds(5));
    }));

    CliTestSupport.Result r = cli("deploy", "api", "--env", "staging", "-f", SHOP, "--image-tag", "v2", "--reason",
        "hotfix", "--wait");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(clustersOpened).isEmpty();
    assertThat(TeamClient.JSON.readValue(server.requests.get(0).body(), ServerDeployRequest.class))
        .isEqualTo(new ServerDeployRequest(null, "v2", null, "hotfix", false));
    assertThat(server.requests.get(1).query()).isEqualTo("waitSeconds=" + RunCommands.POLL.toSeconds());
    assertThat(r.out()).isEqualTo("run 12: deploy api on staging by the team server at " + server.url() + " (pending)\n"
        + "  running api r3: 1/2 pods ready\n"
        + "  running api r3: 2/2 pods ready\n"
        + "✓ run 12 succeeded: api r3 is live (rolling, 4.1 s)\n");
  }

  @Test
  void deploy_withoutWait_printsHowToFollow_andAFailedRunExits1() {
    useEnvironment();
    server.on("POST /api/v1/team/environments/staging/services/api/rollback", 202, run(13, "pending", null, null));
    server.on("GET /api/v1/team/runs/13", 200, run(13, "rolled-back", "api r3 rolled back: error rate 12%", T0));
    server.on("POST /api/v1/team/environments/staging/services/api/deploy", 202, run(14, "pending", null, null));

    CliTestSupport.Result deploy = cli("deploy", "api", "--env", "staging", "-f", SHOP, "--image-tag", "v2");
    CliTestSupport.Result follow = cli("runs", "13", "--wait");
    CliTestSupport.Result local = cli("deploy", "api", "--env", "staging", "-f", SHOP, "--version", "v2");

    assertThat(deploy.code()).isZero();
    assertThat(deploy.out()).contains("it runs on the server; follow it: slipway runs 14 --wait");
    assertThat(follow.code()).isEqualTo(1);
    assertThat(follow.out()).isEqualTo("✗ run 13 rolled-back: api r3 rolled back: error rate 12%\n");
    assertThat(local.code()).isEqualTo(2);
    assertThat(local.err()).contains("--version does not go through the team server");
  }

  @Test
  void withAServer_thisMachinesKubeconfigIsRefused_theServerHasItsOwn() {
    useEnvironment();

    CliTestSupport.Result r = cli("deploy", "api", "--env", "staging", "-f", SHOP, "--image-tag", "v2", "--kubeconfig",
        "/tmp/kc.yaml");

    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(r.err()).contains("--kubeconfig: `staging` is driven by the team server at " + server.url())
        .contains("slipway logout");
    assertThat(server.requests).isEmpty();
    assertThat(clustersOpened).isEmpty();
  }

  /** `slipway server` hands the server the model file as every command resolves it, and options it does not know itself. */
  @Test
  void server_passesTheModelFileAndItsOptions_toTheServersJvm(@TempDir Path dir) {
    picocli.CommandLine cl = new picocli.CommandLine(new Main());
    picocli.CommandLine.ParseResult parsed = cl.parseArgs("server", "-f", dir.resolve("slipway.yaml").toString(), "--data",
        dir.resolve("data").toString(), "--listen", "127.0.0.1:0", "--preview-quota", "2", "--some-later-option", "x");
    ServerCommand server = (ServerCommand) parsed.subcommand().commandSpec().userObject();

    assertThat(server.arguments()).containsExactly("-f", dir.resolve("slipway.yaml").toString(), "--data",
        dir.resolve("data").toString(), "--listen", "127.0.0.1:0", "--preview-quota", "2", "--some-later-option", "x");
  }

  @Test
  void withoutAServer_aKubernetesEnvironmentIsDrivenFromHere_asBefore() {
    CliTestSupport.Result r = cli("deploy", "api", "--env", "staging", "-f", SHOP, "--image-tag", "v2");

    assertThat(clustersOpened).containsExactly("staging");
    assertThat(r.err()).contains("no cluster in this test");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void aLocalEnvironment_neverAsksTheServer_evenWhenOneIsConfigured(@TempDir Path dir) throws Exception {
    useEnvironment();
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: x\nservices:\n  a:\n    run: \"true\"\n");

    CliTestSupport.Result r = cli("deploy", "a", "-f", model.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("nothing is running for " + model);
    assertThat(server.requests).isEmpty();
  }

  @Test
  void statusAndHistory_onAKubernetesEnvironment_showWhatTheServerRecorded() {
    useEnvironment();
    var release = new dev.slipway.api.team.ServerReleaseView("staging", "api", "r3", "ghcr.io/acme/api@sha256:aaa", "c1",
        "live", T0, "passed", true, 12);
    server.on("GET /api/v1/team/environments", 200, List.of(new dev.slipway.api.team.EnvironmentView("staging",
        "kubernetes", null, false, new FreezeView("staging", T0.plusSeconds(3600), "quiet hour", "admin", T0),
        List.of(release))));
    server.on("GET /api/v1/team/environments/staging/releases", 200, List.of(release,
        new dev.slipway.api.team.ServerReleaseView("staging", "web", "r1", "w", "c2", "live", T0, "none", false, 0)));

    CliTestSupport.Result status = cli("status", "--env", "staging", "-f", SHOP);
    CliTestSupport.Result history = cli("history", "api", "--env", "staging", "-f", SHOP);

    assertThat(status.code()).as(status.output()).isZero();
    assertThat(status.out()).contains("staging (kubernetes) on " + server.url())
        .contains("! frozen until 2026-12-07T11:00:00Z: quiet hour (by admin)")
        .contains("api      r3       live   2026-12-07T10:00:00Z  passed    yes       ghcr.io/acme/api@sha256:aaa");
    assertThat(history.out()).contains("api      r3").doesNotContain("web");
    assertThat(clustersOpened).isEmpty();
  }

  @Test
  void runsAndPromotions_list_asTablesOrJson() throws Exception {
    useEnvironment();
    server.on("GET /api/v1/team/runs", 200, List.of(run(12, "succeeded", "api r3 is live", T0)));
    server.on("GET /api/v1/team/promotions", 200, List.of(promotion(7, "waiting", GATES)));

    CliTestSupport.Result runs = cli("runs", "--env", "staging");
    CliTestSupport.Result json = cli("promotions", "--json");

    assertThat(runs.out()).contains("ID  KIND    ENV      SERVICE  STATE      RELEASE  BY     STARTED               MESSAGE")
        .contains("12  deploy  staging  api      succeeded  r3       alice  2026-12-07T10:00:00Z  api r3 is live");
    assertThat(server.lines()).first().isEqualTo("GET /api/v1/team/runs?env=staging");
    assertThat(TeamClient.JSON.readValue(json.out(), PromotionView[].class)).containsExactly(promotion(7, "waiting", GATES));
  }

  /** As a user runs it: the token comes from the environment, never the command line, and Ctrl-C leaves the run be. */
  @Test
  void runsWait_asAProcess_keepsTheTokenOutOfEveryArgv_andCtrlC_detachesSayingHowToFollowAgain() throws Exception {
    server.on("GET /api/v1/team/runs/21", r -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new TeamServerStandIn.Reply(200, run(21, "running", "api r3: 1/2 pods ready", null));
    });
    Path log = home.resolve("follow.log");
    Process p = CliTestSupport.cliProcess(log, Map.of("SLIPWAY_SERVER", server.url(), "SLIPWAY_TOKEN", MARKER,
        "XDG_CONFIG_HOME", home.resolve("config").toString()), "runs", "21", "--wait");
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (server.requests.size() < 2 && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(50);
      }
      assertThat(server.requests).as(Files.readString(log)).hasSizeGreaterThanOrEqualTo(2)
          .allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer " + MARKER));
      assertThat(CliTestSupport.processesMentioning(MARKER)).as("processes with the token in their argv").isEmpty();

      CliTestSupport.kill("INT", p.pid());

      assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("stopped following").isTrue();
      String output = Files.readString(log);
      assertThat(output).contains("running api r3: 1/2 pods ready")
          .contains("still running on the server; follow again: slipway runs 21 --wait").doesNotContain(MARKER);
      assertThat(p.exitValue()).as(output).isEqualTo(130);
    } finally {
      p.destroyForcibly().waitFor();
    }
  }
}
