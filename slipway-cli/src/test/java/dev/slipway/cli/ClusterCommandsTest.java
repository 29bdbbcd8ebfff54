package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.kubernetes.ClusterEnvironment;
import dev.slipway.kubernetes.ClusterRelease;
import dev.slipway.kubernetes.ClusterStatus;
import dev.slipway.kubernetes.ConnectOptions;
import dev.slipway.kubernetes.DeployOrder;
import dev.slipway.kubernetes.DeployResult;
import dev.slipway.kubernetes.KubernetesException;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.store.DeploymentPhase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The wiring of {@code --env} to a kubernetes environment: which commands reach {@link ClusterEnvironment},
 * with what, how its answers and its errors are printed, and that {@code down} never deletes unasked.
 * The environment here only records what it was asked ({@code KubernetesCliIT} runs the real one
 * against a mock API server); the CLI around it is the real one.
 */
class ClusterCommandsTest {
  private static final String SHOP = Path.of("..", "examples", "shop", "slipway.yaml").toAbsolutePath().normalize()
      .toString();

  private final Recording cluster = new Recording();
  private final List<String> opened = new ArrayList<>();
  private ConnectOptions connect;
  private KubernetesException refuse;
  private Optional<Boolean> answer = Optional.empty();
  private final List<String> asked = new ArrayList<>();

  private CliTestSupport.Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main main = new Main((AppSpec app, EnvironmentSpec env, Path dir, ConnectOptions o, Consumer<String> progress) -> {
      if (refuse != null) {
        throw refuse;
      }
      opened.add(app.name() + "/" + env.name() + "/" + env.namespace() + " in " + dir.getFileName());
      connect = o;
      cluster.progress = progress;
      return cluster;
    }, question -> {
      asked.add(question);
      return answer;
    });
    int code = Main.execute(main, args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliTestSupport.Result(code, out.toString(), err.toString());
  }

  @Test
  void deploy_onAKubernetesEnvironment_runsOnTheCluster_withTheImageQueueAndConnection() {
    cluster.result = new DeployResult(release(2, "live"), true, "api r2 is live (rolling, 4.1 s)");

    CliTestSupport.Result r = cli("deploy", "api", "--env", "staging", "-f", SHOP, "--image-tag", "v2", "--wait",
        "--kubeconfig", "/tmp/kc.yaml", "--context", "kind-ci", "--queue", "2m");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(opened).containsExactly("shop/staging/shop-staging in shop");
    assertThat(connect.kubeconfig()).isEqualTo(Path.of("/tmp/kc.yaml"));
    assertThat(connect.context()).isEqualTo("kind-ci");
    assertThat(connect.leaseTtl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(connect.runner()).matches("[^@ ]+@[^ ]+ \\(pid " + ProcessHandle.current().pid() + "\\)");
    assertThat(cluster.calls).containsExactly(
        "deploy " + new DeployOrder("api", "v2", null, null, true, Duration.ofMinutes(2), false));
    assertThat(r.out()).contains("deploying api on staging (namespace shop-staging) ...")
        .contains("✓ api r2: 2/2 pods ready").endsWith("✓ api r2 is live (rolling, 4.1 s)\n");
  }

  @Test
  void deploy_whenRolledBack_exits1_withTheClustersLastLine() {
    cluster.result = new DeployResult(release(3, "rolled-back"), false, "api r3 rolled back: pods never ready");

    CliTestSupport.Result r = cli("deploy", "api", "--env", "staging", "-f", SHOP, "--image", "ghcr.io/acme/api@sha256:ab",
        "--queue");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(cluster.calls).containsExactly("deploy " + new DeployOrder("api", null, "ghcr.io/acme/api@sha256:ab",
        null, false, Duration.ofMinutes(30), false));
    assertThat(r.out()).endsWith("✗ api r3 rolled back: pods never ready\n");
  }

  @Test
  void deploy_toAProtectedEnvironment_withoutAServer_isRefused_andOpensNoCluster() {
    CliTestSupport.Result r = cli("deploy", "api", "--env", "production", "-f", SHOP, "--image-tag", "v2");

    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(opened).isEmpty();
    assertThat(r.err()).contains("`production` is protected: releases reach it only by promotion")
        .contains("slipway promote --to production");
  }

  @Test
  void deploy_resume_continuesWithoutAnImage() {
    cluster.result = new DeployResult(release(3, "live"), true, "api r3 is live");

    assertThat(cli("deploy", "api", "--env", "production", "-f", SHOP, "--resume").code()).isZero();
    assertThat(opened).containsExactly("shop/production/shop in shop");
    assertThat(cluster.calls).containsExactly("deploy " + new DeployOrder("api", null, null, null, false, null, true));
  }

  /** As locally: --wait follows a blue-green until it is live (the previous release warm), --wait-warm to its end. */
  @Test
  void deploy_wait_onABlueGreen_returnsOnceLive_andWaitWarm_waitsOutTheWindow() {
    cluster.result = new DeployResult(release(2, "live"), true, "web r2 is live");

    cli("deploy", "web", "--env", "staging", "-f", SHOP, "--image-tag", "v2", "--wait");
    cli("deploy", "web", "--env", "staging", "-f", SHOP, "--image-tag", "v2", "--wait-warm");
    cli("deploy", "web", "--env", "staging", "-f", SHOP, "--image-tag", "v2", "--wait", "--strategy", "canary");
    cli("promote", "web", "--env", "staging", "-f", SHOP, "--wait");

    assertThat(cluster.calls).containsExactly(
        "deploy " + new DeployOrder("web", "v2", null, null, false, null, false),
        "deploy " + new DeployOrder("web", "v2", null, null, true, null, false),
        "deploy " + new DeployOrder("web", "v2", null, "canary", true, null, false),
        "promote web false");
  }

  @Test
  void aLocalEnvironment_orNone_neverOpensACluster() {
    CliTestSupport.Result none = cli("deploy", "api", "-f", SHOP);
    CliTestSupport.Result dev = cli("status", "--env", "dev", "-f", SHOP);

    assertThat(opened).isEmpty();
    assertThat(none.code()).as(none.output()).isEqualTo(1);
    assertThat(none.err()).contains("nothing is running for");
    assertThat(dev.code()).as(dev.output()).isZero();
    assertThat(dev.out()).contains("Nothing is running.");
  }

  @Test
  void clusterOptions_onTheLocalPath_areRefused_notIgnored() {
    CliTestSupport.Result kubeconfig = cli("status", "--env", "dev", "-f", SHOP, "--kubeconfig", "/tmp/kc.yaml");
    CliTestSupport.Result tag = cli("deploy", "api", "-f", SHOP, "--image-tag", "v2");
    CliTestSupport.Result queue = cli("deploy", "api", "-f", SHOP, "--queue", "5m");
    CliTestSupport.Result version = cli("deploy", "api", "--env", "staging", "-f", SHOP, "--version", "v2");

    assertThat(kubeconfig.code()).isEqualTo(2);
    assertThat(kubeconfig.err()).contains("--kubeconfig is for kubernetes environments, and environment `dev` targets local")
        .contains("(here: staging, production)");
    assertThat(tag.code()).isEqualTo(2);
    assertThat(tag.err()).contains("--image-tag is for kubernetes environments");
    assertThat(queue.code()).isEqualTo(2);
    assertThat(queue.err()).contains("locally a queued deploy waits at most 30 min");
    assertThat(version.code()).isEqualTo(2);
    assertThat(version.err()).contains("--version is for local stacks").contains("--image-tag TAG");
    assertThat(opened).isEmpty();
  }

  @Test
  void anUnknownEnvironment_isAModelError() {
    CliTestSupport.Result r = cli("history", "api", "--env", "stagin", "-f", SHOP);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("stagin").doesNotContain("\tat ");
    assertThat(opened).isEmpty();
  }

  @Test
  void aClusterError_namesContextAndNamespace_andTheFix_withItsExitCode_andNoStackTrace() {
    refuse = new KubernetesException("no context `nope` in /tmp/kc.yaml", "nope", "shop-staging",
        "contexts there: kind-ci, prod\nname one with --context NAME", KubernetesException.BAD_INPUT);

    CliTestSupport.Result r = cli("status", "--env", "staging", "-f", SHOP, "--context", "nope");
    CliTestSupport.Result traced = cli("status", "--env", "staging", "-f", SHOP, "--stacktrace");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: no context `nope` in /tmp/kc.yaml\n    context nope, namespace shop-staging\n"
        + "    contexts there: kind-ci, prod\n    name one with --context NAME\n");
    assertThat(traced.err()).contains("\tat ");
  }

  @Test
  void aHeldLease_exits3() {
    cluster.failure = new KubernetesException("api is being deployed by ci@runner-7 (pid 12) since 14:02:11", "kind-ci",
        "shop-staging", "wait for it with --queue 10m", KubernetesException.HELD);

    CliTestSupport.Result r = cli("deploy", "api", "--env", "staging", "-f", SHOP, "--image-tag", "v3");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("ci@runner-7").contains("--queue 10m");
    assertThat(cluster.closed).as("the environment is closed also when it throws").isTrue();
  }

  @Test
  void status_json_isTheClustersObject() throws Exception {
    cluster.status = new ClusterStatus("kind-ci", "shop-staging", "https://127.0.0.1:6443", List.of(
        new ClusterStatus.Service("api", "r2", "ghcr.io/acme/api:v2", 2, 2, "r3", "shifting", "r2 90% · r3 10%",
            "ci@runner-7 (pid 12)"),
        new ClusterStatus.Service("web", null, null, 0, 1, null, null, null, null)));

    CliTestSupport.Result json = cli("status", "--env", "staging", "-f", SHOP, "--json");
    CliTestSupport.Result text = cli("status", "--env", "staging", "-f", SHOP);

    assertThat(json.code()).as(json.output()).isZero();
    JsonNode s = CliTestSupport.JSON.readTree(json.out());
    assertThat(s.get("context").asText()).isEqualTo("kind-ci");
    assertThat(s.get("namespace").asText()).isEqualTo("shop-staging");
    assertThat(s.get("server").asText()).isEqualTo("https://127.0.0.1:6443");
    JsonNode api = s.get("services").get(0);
    assertThat(api.get("name").asText()).isEqualTo("api");
    assertThat(api.get("release").asText()).isEqualTo("r2");
    assertThat(api.get("image").asText()).isEqualTo("ghcr.io/acme/api:v2");
    assertThat(api.get("ready").asInt()).isEqualTo(2);
    assertThat(api.get("desired").asInt()).isEqualTo(2);
    assertThat(api.get("phase").asText()).isEqualTo("shifting");
    assertThat(api.get("traffic").asText()).isEqualTo("r2 90% · r3 10%");
    assertThat(api.get("holder").asText()).isEqualTo("ci@runner-7 (pid 12)");
    assertThat(s.get("services").get(1).get("release").isNull()).isTrue();
    assertThat(text.out()).contains("shop (staging) context kind-ci · namespace shop-staging · https://127.0.0.1:6443")
        .containsPattern("SERVICE +RELEASE +IMAGE +READY +ROLLOUT +TRAFFIC +LEASE")
        .containsPattern("api +r2 +ghcr.io/acme/api:v2 +2/2 +r3 shifting +r2 90% · r3 10% +ci@runner-7")
        .containsPattern("web +- +- +0/1")
        .doesNotContain("interrupted");
  }

  @Test
  void status_ofARolloutNobodyRuns_saysHowToContinueIt() {
    cluster.status = new ClusterStatus("kind-ci", "shop-staging", "https://127.0.0.1:6443", List.of(
        new ClusterStatus.Service("api", "r2", "ghcr.io/acme/api:v2", 2, 2, "r3", "analysing", "r2 90% · r3 10%", null)));

    CliTestSupport.Result r = cli("status", "--env", "staging", "-f", SHOP);

    assertThat(r.out()).contains("interrupted api r3 at analysing: `slipway deploy api --env staging --resume` continues"
        + " it, `slipway abort api --env staging` returns to r2");
  }

  @Test
  void status_ofABlueGreenKeptWarm_saysHowToSwitchBackOrRetire() {
    cluster.status = new ClusterStatus("kind-ci", "shop-staging", "https://127.0.0.1:6443", List.of(
        new ClusterStatus.Service("web", "r2", "ghcr.io/acme/shop-web:v2", 1, 1, "r2", "holding", "Service web selects r2",
            null)));

    CliTestSupport.Result r = cli("status", "--env", "staging", "-f", SHOP);

    assertThat(r.out()).contains("warm web r2 is live, the previous release kept warm: `slipway rollback web --env staging`"
        + " switches back at once, `slipway deploy web --env staging --resume` retires it").doesNotContain("interrupted");
  }

  @Test
  void history_listsTheReleasesNewestFirst_asTextAndJson() throws Exception {
    cluster.history = List.of(release(2, "live"), release(1, "superseded"));

    CliTestSupport.Result text = cli("history", "api", "--env", "staging", "-f", SHOP);
    CliTestSupport.Result json = cli("history", "api", "--env", "staging", "-f", SHOP, "--json");

    assertThat(text.code()).as(text.output()).isZero();
    assertThat(text.out()).containsPattern("RELEASE +IMAGE +STRATEGY +STATE +STARTED +BY +REASON")
        .containsPattern("r2 +ghcr.io/acme/api:v2 +rolling +live +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +alice@laptop")
        .contains("r2 measured: canary.errorRate 0.01");
    assertThat(text.out().indexOf("r2 ")).isLessThan(text.out().indexOf("r1 "));
    JsonNode h = CliTestSupport.JSON.readTree(json.out());
    assertThat(h.get(0).get("release").asText()).isEqualTo("r2");
    assertThat(h.get(0).get("phase").asText()).isEqualTo("DONE");
    assertThat(h.get(0).get("started").asText()).isEqualTo("2026-12-07T14:00:00Z");
    assertThat(cluster.calls).containsExactly("history api", "history api");
  }

  @Test
  void rollback_to_takesTheReleaseAsHistoryWritesIt() {
    cluster.result = new DeployResult(release(1, "live"), true, "api r1 is live again");

    assertThat(cli("rollback", "api", "--env", "staging", "-f", SHOP, "--to", "api-r1").code()).isZero();
    assertThat(cli("rollback", "api", "--env", "staging", "-f", SHOP, "--to", "r1").code()).isZero();
    assertThat(cli("rollback", "api", "--env", "staging", "-f", SHOP).code()).isZero();
    CliTestSupport.Result bad = cli("rollback", "api", "--env", "staging", "-f", SHOP, "--to", "web-r1");

    assertThat(cluster.calls).containsExactly("rollback api 1", "rollback api 1", "rollback api null");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--to `web-r1` names no release of api");
  }

  @Test
  void promoteAbortAndLogs_reachTheCluster() {
    cluster.result = new DeployResult(release(3, "live"), true, "api r3 is live");

    assertThat(cli("promote", "api", "--env", "staging", "-f", SHOP, "--wait").code()).isZero();
    assertThat(cli("promote", "api", "--env", "staging", "-f", SHOP).code()).isZero();
    assertThat(cli("abort", "api", "--env", "staging", "-f", SHOP).code()).isZero();
    CliTestSupport.Result logs = cli("logs", "api", "--env", "staging", "-f", SHOP, "--follow", "-n", "20");
    CliTestSupport.Result full = cli("promote", "api", "--env", "staging", "-f", SHOP, "--full");

    assertThat(cluster.calls).containsExactly("promote api true", "promote api false", "abort api",
        "logs api true 20");
    assertThat(logs.out()).isEqualTo("api-7d9f-abcde | started\napi-7d9f-fghij | started\n");
    assertThat(full.code()).isEqualTo(2);
  }

  @Test
  void down_withYes_deletesWhatItListed() {
    CliTestSupport.Result r = cli("down", "--env", "staging", "-f", SHOP, "--yes");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).contains("down deletes 2 objects Slipway created on staging (namespace shop-staging):\n"
        + "  Deployment shop-staging/api\n  Secret shop-staging/slipway.release.api.r1\n")
        .contains("deleted 2 objects");
    assertThat(asked).isEmpty();
    assertThat(cluster.calls).containsExactly("downPlan", "down");
  }

  @Test
  void down_withoutATerminal_deletesNothing_andSaysToAddYes() {
    CliTestSupport.Result r = cli("down", "--env", "staging", "-f", SHOP);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("Deployment shop-staging/api");
    assertThat(r.err()).contains("not deleting 2 objects on staging (namespace shop-staging): no terminal to confirm on")
        .contains("add --yes");
    assertThat(cluster.calls).containsExactly("downPlan");
  }

  @Test
  void down_asksAtATerminal_andOnlyYesDeletes() {
    answer = Optional.of(false);
    CliTestSupport.Result no = cli("down", "--env", "staging", "-f", SHOP);
    answer = Optional.of(true);
    CliTestSupport.Result yes = cli("down", "--env", "staging", "-f", SHOP);

    assertThat(asked).containsExactly("Delete them?", "Delete them?");
    assertThat(no.code()).isEqualTo(1);
    assertThat(no.out()).contains("Nothing deleted.");
    assertThat(yes.code()).isZero();
    assertThat(cluster.calls).containsExactly("downPlan", "downPlan", "down");
  }

  private static ClusterRelease release(int revision, String state) {
    return new ClusterRelease("api", revision, "ghcr.io/acme/api:v" + revision, "sha256:c0ffee", "rolling",
        DeploymentPhase.DONE, state, null, -1, revision == 2 ? Map.of("canary.errorRate", 0.01) : Map.of(),
        Instant.parse("2026-12-07T14:00:00Z"), Instant.parse("2026-12-07T14:00:05Z"), "alice@laptop");
  }

  /** Answers as it is told and records what it was asked. */
  private static final class Recording implements ClusterEnvironment {
    final List<String> calls = new ArrayList<>();
    Consumer<String> progress;
    DeployResult result;
    ClusterStatus status;
    List<ClusterRelease> history = List.of();
    KubernetesException failure;
    boolean closed;

    private DeployResult answer(String call) throws KubernetesException {
      calls.add(call);
      if (failure != null) {
        throw failure;
      }
      progress.accept("✓ api r2: 2/2 pods ready");
      return result;
    }

    @Override
    public DeployResult deploy(DeployOrder order) throws KubernetesException {
      return answer("deploy " + order);
    }

    @Override
    public DeployResult promote(String service, boolean waitForEnd) throws KubernetesException {
      return answer("promote " + service + " " + waitForEnd);
    }

    @Override
    public DeployResult abort(String service) throws KubernetesException {
      return answer("abort " + service);
    }

    @Override
    public DeployResult rollback(String service, Integer toRevision) throws KubernetesException {
      return answer("rollback " + service + " " + toRevision);
    }

    @Override
    public ClusterStatus status() {
      calls.add("status");
      return status;
    }

    @Override
    public List<ClusterRelease> history(String service) {
      calls.add("history " + service);
      return history;
    }

    @Override
    public void logs(String service, boolean follow, int tailLines, Consumer<String> out) {
      calls.add("logs " + service + " " + follow + " " + tailLines);
      out.accept("api-7d9f-abcde | started");
      out.accept("api-7d9f-fghij | started");
    }

    @Override
    public List<String> downPlan() {
      calls.add("downPlan");
      return List.of("Deployment shop-staging/api", "Secret shop-staging/slipway.release.api.r1");
    }

    @Override
    public void down() {
      calls.add("down");
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
