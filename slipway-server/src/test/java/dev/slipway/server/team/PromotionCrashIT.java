package dev.slipway.server.team;

import static dev.slipway.server.team.TeamApi.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the team server while a promotion rolls out: restarted on the same data, the server
 * carries the promotion to a recorded terminal state (its run resumed by the engine's rule, then the
 * outcome recorded), the audit trail says how it ended, and production serves one release coherently —
 * the one the server recorded.
 *
 * <p>The story's model with production unprotected (the admin installs v1 there directly) and no
 * approval needed; the kubelet makes new pods wait 6 s for readiness so the kill lands mid-rollout.
 */
class PromotionCrashIT {
  @org.junit.jupiter.api.extension.RegisterExtension
  static final TeamPostgres POSTGRES = new TeamPostgres();
  private static final java.util.concurrent.atomic.AtomicInteger DATABASES = new java.util.concurrent.atomic.AtomicInteger();
  static final String V1 = "registry.example/story-api@sha256:" + "a1".repeat(32);
  static final String V2 = "registry.example/story-api@sha256:" + "b2".repeat(32);
  private MockCluster cluster;
  private SimKubelet kubelet;
  private TeamServerProcess server;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    cluster = new MockCluster();
    kubelet = new SimKubelet(cluster.client()).start();
    dir = Files.createTempDirectory("slipway-promotion-crash");
    Path model = TeamStoryIT.storyModel(dir, "1s");
    Files.writeString(model, Files.readString(model).replace("protected: true", "protected: false")
        .replace("approvals: 1", "approvals: 0"));
    server = new TeamServerProcess(model, dir.resolve("data"), cluster.writeKubeconfig(dir, "story"),
        Map.of(Promotions.TICK_VARIABLE, "200ms")).onStore(POSTGRES, "promotion_crash_" + DATABASES.incrementAndGet());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    kubelet.close();
    cluster.close();
    TeamServerProcess.deleteTree(dir);
  }

  @Test
  void killedMidRollout_theRestartedServerEndsThePromotion_recordedAndAudited_andProductionServesOneRelease()
      throws Exception {
    server.start();
    TeamApi admin = new TeamApi(server::url, "admin", server.adminToken());
    deploy(admin, "staging", V1);
    deploy(admin, "production", V1);
    deploy(admin, "staging", V2);
    Thread.sleep(1500); // staging's v2 soaks its 1 s
    kubelet.readyDelay(Duration.ofSeconds(6));

    JsonNode promotion = admin.post(TeamPaths.PROMOTIONS, object("to", "production")).expect(201).body();
    long id = promotion.get("id").asLong();
    JsonNode running = admin.awaitPromotion(id, p -> p.get("runIds").size() == 1, Duration.ofSeconds(30));
    assertThat(running.get("state").asText()).isEqualTo("running");
    awaitPodOf("story-production", V2);

    server.kill();
    server.start();

    JsonNode ended = admin.awaitPromotion(id, p -> TeamStoryIT.TERMINAL.contains(p.get("state").asText()),
        Duration.ofSeconds(120));
    System.out.println("after the restart: " + ended);
    assertThat(ended.get("state").asText()).as(ended.toString()).isIn("succeeded", "failed");
    assertThat(ended.get("outcome").asText("")).as(ended.toString()).isNotBlank();
    assertThat(ended.get("finishedAt").isNull()).isFalse();

    boolean endAudited = false;
    for (JsonNode e : admin.get(TeamPaths.AUDIT + "?env=production").expect(200).body()) {
      if (e.get("action").asText().equals("promote") && e.path("details").asText("").contains("\"promotionId\":" + id)
          && e.path("details").asText("").contains("\"outcome\":\"" + ended.get("state").asText() + "\"")) {
        endAudited = true;
      }
    }
    assertThat(endAudited).as("a promote entry recording the promotion's end").isTrue();

    List<String> serving = TeamStoryIT.readyImages(cluster.client(), kubelet, "story-production");
    assertThat(serving).as("production's ready pods behind its Service").isNotEmpty().containsOnly(serving.get(0));
    assertThat(serving.get(0)).isIn(V1, V2).isEqualTo(ended.get("state").asText().equals("succeeded") ? V2 : V1);
    JsonNode recorded = TeamStoryIT.release(admin, "production", "api");
    assertThat(recorded.get("image").asText()).isEqualTo(serving.get(0));
  }

  @Test
  void haltedBetweenStoringRunningAndTheFirstRun_theRestartedServerStartsTheRun_andRecordsTheOutcome()
      throws Exception {
    server.withOnce("SLIPWAY_CHAOS", "point:promotion-running").start();
    TeamApi admin = new TeamApi(server::url, "admin", server.adminToken());
    deploy(admin, "staging", V1);
    Thread.sleep(1500); // staging's v1 soaks its 1 s

    try {
      admin.post(TeamPaths.PROMOTIONS, object("to", "production"));
    } catch (java.io.IOException e) {
      // the server halted while answering: expected
    }
    server.awaitExit(30);
    assertThat(server.exitValue()).as(server.log()).isEqualTo(137);
    assertThat(server.log()).contains("point:promotion-running");
    server.start(); // the same data, no chaos

    JsonNode listed = admin.get(TeamPaths.PROMOTIONS).expect(200).body();
    assertThat(listed).as("the promotion stored before the halt").hasSize(1);
    long id = listed.get(0).get("id").asLong();
    JsonNode ended = admin.awaitPromotion(id, p -> TeamStoryIT.TERMINAL.contains(p.get("state").asText()),
        Duration.ofSeconds(90));
    assertThat(ended.get("state").asText()).as(ended.toString()).isEqualTo("succeeded");
    assertThat(ended.get("runIds")).as("one run, started after the restart").hasSize(1);
    assertThat(TeamStoryIT.readyImages(cluster.client(), kubelet, "story-production")).isNotEmpty().containsOnly(V1);
    List<String> promote = new java.util.ArrayList<>();
    for (JsonNode e : admin.get(TeamPaths.AUDIT + "?env=production").expect(200).body()) {
      if (e.get("action").asText().equals("promote")) {
        promote.add(e.path("details").asText(""));
      }
    }
    assertThat(promote).as("the promote entries: its start, then its end").hasSize(2);
    assertThat(promote.get(0)).contains("\"phase\":\"start\"");
    assertThat(promote.get(1)).contains("\"phase\":\"end\"").contains("\"outcome\":\"succeeded\"");
  }

  private static void deploy(TeamApi user, String env, String image) throws Exception {
    JsonNode run = user.post(TeamPaths.ENVIRONMENT + env + "/services/api/deploy", object("image", image))
        .expect(202).body();
    JsonNode ended = user.awaitRun(run.get("id").asLong(), Duration.ofSeconds(60));
    assertThat(ended.get("state").asText()).as(ended.toString()).isEqualTo("succeeded");
  }

  private void awaitPodOf(String namespace, String image) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (cluster.client().pods().inNamespace(namespace).list().getItems().stream()
          .anyMatch(p -> image.equals(p.getSpec().getContainers().get(0).getImage()))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no pod of " + image + " in " + namespace + " after 30 s");
  }
}
