package dev.slipway.server.team;

import static dev.slipway.server.team.TeamApi.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 11's story, at the HTTP level, the server a process of its own: alice (deployer) deploys api to
 * staging by digest; it is verified there; she asks to promote it to production, which waits for the
 * soak and an approval; her own approval is refused, carol (viewer) is told which role approving needs,
 * bob (approver) approves; once the soak has passed the promotion runs, and production runs the very
 * digest staging runs. Every change is in the audit trail, by whom it was made.
 *
 * <p>Both environments are namespaces of one mock cluster a simulated kubelet runs; the model is
 * {@code team-story/slipway.yaml} with the soak shortened to 8 s (long enough that bob approves within it,
 * so the server's ticker is what starts the promotion).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamStoryIT {
  @org.junit.jupiter.api.extension.RegisterExtension
  static final TeamPostgres POSTGRES = new TeamPostgres();
  static final String DIGEST = "registry.example/story-api@sha256:" + "5e".repeat(32);
  private static MockCluster cluster;
  private static SimKubelet kubelet;
  private static TeamServerProcess server;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    cluster = new MockCluster();
    kubelet = new SimKubelet(cluster.client()).start();
    dir = Files.createTempDirectory("slipway-team-story");
    Path model = storyModel(dir, "8s");
    Path kubeconfig = cluster.writeKubeconfig(dir, "story");
    server = new TeamServerProcess(model, dir.resolve("data"), kubeconfig, Map.of(Promotions.TICK_VARIABLE, "200ms"))
        .onStore(POSTGRES, "team_story").start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    TeamServerProcess.deleteTree(dir);
  }

  /** The story's model, copied into {@code dir} with the given soak. */
  static Path storyModel(Path dir, String soak) throws java.io.IOException {
    try (var in = TeamStoryIT.class.getResourceAsStream("/team-story/slipway.yaml")) {
      Path model = dir.resolve("slipway.yaml");
      Files.writeString(model, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .replace("SOAK", soak));
      return model;
    }
  }

  @Test
  @Order(1)
  void alicePromotesApiToProduction_afterSoakAndBobsApproval_andProductionRunsStagingsDigest() throws Exception {
    TeamApi admin = new TeamApi(server::url, "admin", server.adminToken());
    TeamApi alice = admin.addUser("alice", "deployer");
    TeamApi bob = admin.addUser("bob", "approver");
    TeamApi carol = admin.addUser("carol", "viewer");

    // alice deploys api to staging, by digest; the server runs it and she follows the run.
    JsonNode run = alice.post(TeamPaths.ENVIRONMENT + "staging/services/api/deploy",
        object("image", DIGEST, "reason", "release 1.1")).expect(202).body();
    JsonNode deployed = alice.awaitRun(run.get("id").asLong(), Duration.ofSeconds(60));
    assertThat(deployed.get("state").asText()).as(deployed.toString()).isEqualTo("succeeded");
    JsonNode staging = release(alice, "staging", "api");
    assertThat(staging.get("state").asText()).isEqualTo("live");
    assertThat(staging.get("image").asText()).isEqualTo(DIGEST);

    // Production takes no direct deploy.
    TeamApi.Answer direct = alice.post(TeamPaths.ENVIRONMENT + "production/services/api/deploy", object("image", DIGEST));
    assertThat(direct.status()).as(direct.toString()).isEqualTo(409);
    assertThat(direct.errorText()).contains("slipway promote --to production");

    // The dry run shows what would change and what is missing, and stores nothing.
    JsonNode dry = alice.post(TeamPaths.PROMOTIONS + "?dryRun=true", object("to", "production")).expect(200).body();
    assertThat(dry.get("items")).hasSize(1);
    assertThat(dry.get("items").get(0).get("service").asText()).isEqualTo("api");
    assertThat(dry.get("items").get(0).get("image").asText()).isEqualTo(DIGEST);
    assertThat(gate(dry, "soak").get("holds").asBoolean()).as(dry.toString()).isFalse();
    assertThat(gate(dry, "soak").get("text").asText()).contains("soak").contains("of 8s");
    assertThat(gate(dry, "approvals").get("holds").asBoolean()).isFalse();
    assertThat(gate(dry, "approvals").get("text").asText()).contains("needs 1 approval from approver");
    assertThat(texts(dry.get("changes"), "key")).contains("GREETING");
    assertThat(alice.get(TeamPaths.PROMOTIONS).expect(200).body()).as("a dry run stores nothing").isEmpty();

    // The request: it waits for the soak and an approval.
    JsonNode promotion = alice.post(TeamPaths.PROMOTIONS, object("to", "production", "reason", "ship 1.1"))
        .expect(201).body();
    long id = promotion.get("id").asLong();
    assertThat(promotion.get("state").asText()).isEqualTo("waiting");
    assertThat(promotion.get("from").asText()).isEqualTo("staging");
    assertThat(gate(promotion, "soak").get("holds").asBoolean()).isFalse();
    assertThat(gate(promotion, "approvals").get("holds").asBoolean()).isFalse();

    // alice may not approve her own promotion; carol has no role that may.
    TeamApi.Answer own = alice.post(TeamPaths.PROMOTIONS + "/" + id + "/approve", object("comment", "lgtm"));
    assertThat(own.status()).as(own.toString()).isEqualTo(403);
    assertThat(own.errorText()).contains("alice requested promotion " + id + " and may not approve it");
    TeamApi.Answer viewer = carol.post(TeamPaths.PROMOTIONS + "/" + id + "/approve", object("comment", "ok"));
    assertThat(viewer.status()).as(viewer.toString()).isEqualTo(403);
    assertThat(viewer.errorText()).contains("carol").contains("[approver]");
    assertThat(alice.get(TeamPaths.PROMOTIONS + "/" + id).expect(200).body().get("state").asText())
        .isEqualTo("waiting");

    // bob approves; the promotion runs once staging's release has soaked 8 s, started by the server.
    JsonNode approved = bob.post(TeamPaths.PROMOTIONS + "/" + id + "/approve", object("comment", "go")).expect(200).body();
    assertThat(gate(approved, "approvals").get("holds").asBoolean()).as(approved.toString()).isTrue();
    if (!gate(approved, "soak").get("holds").asBoolean()) {
      assertThat(approved.get("state").asText()).as("approved, still soaking: " + approved).isEqualTo("waiting");
      assertThat(approved.get("runIds")).isEmpty();
    }
    JsonNode done = alice.awaitPromotion(id, p -> TERMINAL.contains(p.get("state").asText()), Duration.ofSeconds(90));
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
    assertThat(done.get("runIds")).hasSize(1);
    JsonNode promoted = alice.get(TeamPaths.RUNS + "/" + done.get("runIds").get(0).asLong()).expect(200).body();
    assertThat(promoted.get("promotionId").asLong()).isEqualTo(id);
    assertThat(promoted.get("image").asText()).isEqualTo(DIGEST);

    // Production runs the very digest staging runs, on its own replicas.
    JsonNode production = release(alice, "production", "api");
    assertThat(production.get("image").asText()).isEqualTo(DIGEST);
    assertThat(production.get("state").asText()).isEqualTo("live");
    assertThat(readyImages("story-production")).hasSize(2).containsOnly(DIGEST);
    assertThat(readyImages("story-staging")).containsOnly(DIGEST);

    // Every step is in the audit trail, by whom.
    List<String> trail = new ArrayList<>();
    for (JsonNode e : admin.get(TeamPaths.AUDIT).expect(200).body()) {
      trail.add(e.get("action").asText() + " " + e.get("actor").asText() + " " + e.path("environment").asText(""));
    }
    assertThat(trail).containsSubsequence("user.add admin ", "deploy alice staging", "promotion.request alice production",
        "approve bob production", "promote alice production", "promote alice production");
    assertThat(trail).noneMatch(t -> t.startsWith("approve alice") || t.startsWith("approve carol"));
  }

  /** A freeze is the admin's; while it holds, a promotion is refused, and only an admin may override it. */
  @Test
  @Order(2)
  void aFrozenProduction_refusesPromotions_untilTheAdminUnfreezesIt() throws Exception {
    TeamApi admin = new TeamApi(server::url, "admin", server.adminToken());
    TeamApi alice = admin.addUser("alice", "deployer");
    TeamApi carol = admin.addUser("carol", "viewer");
    String freeze = TeamPaths.ENVIRONMENT + "production/freeze";
    var until = java.time.Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    TeamApi.Answer notAdmin = carol.put(freeze, object("until", until.toString(), "reason", "mine"));
    assertThat(notAdmin.status()).as(notAdmin.toString()).isEqualTo(403);
    assertThat(notAdmin.errorText()).contains("carol (viewer) may not freeze production").contains("[admin]");
    JsonNode frozen = admin.put(freeze, object("until", until.toString(), "reason", "release freeze")).expect(200).body();
    assertThat(frozen.get("by").asText()).isEqualTo("admin");

    TeamApi.Answer refused = alice.post(TeamPaths.PROMOTIONS, object("to", "production"));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.body().get("type").asText()).isEqualTo("frozen");
    assertThat(refused.errorText()).contains("production is frozen until " + until).contains("release freeze")
        .contains("(by admin)");
    TeamApi.Answer override = alice.post(TeamPaths.PROMOTIONS, object("to", "production", "overrideFreeze", true));
    assertThat(override.status()).as(override.toString()).isEqualTo(403);
    assertThat(override.errorText()).contains("override the freeze of production").contains("[admin]");

    admin.delete(freeze).expect(204);
    admin.delete(freeze).expect(404);
    List<String> trail = new ArrayList<>();
    for (JsonNode e : admin.get(TeamPaths.AUDIT + "?env=production").expect(200).body()) {
      trail.add(e.get("action").asText() + " " + e.get("actor").asText() + " " + e.path("reason").asText(""));
    }
    assertThat(trail).containsSubsequence("freeze admin release freeze", "unfreeze admin ");
  }

  /** A rejection needs a comment, ends the promotion for good, and is in the audit trail. */
  @Test
  @Order(3)
  void bobRejectsAPromotion_withAComment_andItEndsRejected() throws Exception {
    TeamApi admin = new TeamApi(server::url, "admin", server.adminToken());
    TeamApi alice = admin.addUser("alice", "deployer");
    TeamApi bob = admin.addUser("bob", "approver");
    String next = "registry.example/story-api@sha256:" + "7f".repeat(32);
    JsonNode run = alice.post(TeamPaths.ENVIRONMENT + "staging/services/api/deploy", object("image", next))
        .expect(202).body();
    assertThat(alice.awaitRun(run.get("id").asLong(), Duration.ofSeconds(60)).get("state").asText()).isEqualTo("succeeded");
    long id = alice.post(TeamPaths.PROMOTIONS, object("to", "production")).expect(201).body().get("id").asLong();

    TeamApi.Answer bare = bob.post(TeamPaths.PROMOTIONS + "/" + id + "/reject", object());
    assertThat(bare.status()).as(bare.toString()).isEqualTo(400);
    assertThat(bare.errorText()).contains("a rejection needs a comment");
    JsonNode rejected = bob.post(TeamPaths.PROMOTIONS + "/" + id + "/reject", object("comment", "not this week"))
        .expect(200).body();
    assertThat(rejected.get("state").asText()).isEqualTo("rejected");
    assertThat(rejected.get("outcome").asText()).isEqualTo("rejected by bob: not this week");
    TeamApi.Answer late = bob.post(TeamPaths.PROMOTIONS + "/" + id + "/approve", object("comment", "changed my mind"));
    assertThat(late.status()).as(late.toString()).isEqualTo(409);
    Thread.sleep(1000); // a few ticks: a rejected promotion never starts
    JsonNode after = alice.get(TeamPaths.PROMOTIONS + "/" + id).expect(200).body();
    assertThat(after.get("state").asText()).isEqualTo("rejected");
    assertThat(after.get("runIds")).isEmpty();
    assertThat(release(alice, "production", "api").get("image").asText()).isEqualTo(DIGEST);
    boolean audited = false;
    for (JsonNode e : admin.get(TeamPaths.AUDIT + "?env=production").expect(200).body()) {
      audited |= e.get("action").asText().equals("reject") && e.get("actor").asText().equals("bob")
          && e.path("reason").asText("").equals("not this week");
    }
    assertThat(audited).as("bob's rejection in the audit trail").isTrue();
  }

  static final List<String> TERMINAL = List.of("succeeded", "failed", "rejected", "cancelled");

  static JsonNode gate(JsonNode promotion, String name) {
    for (JsonNode g : promotion.get("gates")) {
      if (g.get("name").asText().equals(name)) {
        return g;
      }
    }
    throw new AssertionError("no gate " + name + " in " + promotion);
  }

  static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  static JsonNode release(TeamApi user, String env, String service) throws Exception {
    for (JsonNode r : user.get(TeamPaths.ENVIRONMENT + env + "/releases").expect(200).body()) {
      if (r.get("service").asText().equals(service)) {
        return r;
      }
    }
    throw new AssertionError("no release of " + service + " in " + env);
  }

  /** The images of the ready pods behind the api's Service in a namespace: what serves its traffic. */
  static List<String> readyImages(String namespace) {
    return readyImages(cluster.client(), kubelet, namespace);
  }

  static List<String> readyImages(KubernetesClient k, SimKubelet kubelet, String namespace) {
    kubelet.awaitIdle();
    var service = k.services().inNamespace(namespace).withName("api").get();
    assertThat(service).as("the api Service in " + namespace).isNotNull();
    List<String> images = new ArrayList<>();
    for (Pod p : k.pods().inNamespace(namespace).withLabels(service.getSpec().getSelector()).list().getItems()) {
      boolean ready = p.getStatus() != null && p.getStatus().getConditions().stream()
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
      if (ready && p.getMetadata().getDeletionTimestamp() == null) {
        images.add(p.getSpec().getContainers().get(0).getImage());
      }
    }
    return images;
  }
}
