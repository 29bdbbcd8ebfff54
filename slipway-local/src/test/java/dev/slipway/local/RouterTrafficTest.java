package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterTrafficTest {

  static final Traffic.Route V1 = new Traffic.Route(List.of(new Traffic.Backend("api-r1-1", "api-r1", 42001, false)),
      Map.of("api-r1", 100), Duration.ofSeconds(30));
  static final Traffic.Route CANARY = new Traffic.Route(List.of(
      new Traffic.Backend("api-r1-1", "api-r1", 42001, false), new Traffic.Backend("api-r2-1", "api-r2", 42002, false)),
      Map.of("api-r1", 90, "api-r2", 10), Duration.ofSeconds(5));

  @TempDir
  Path dir;
  private FakeRouterAdmin router;
  private RouterTraffic traffic;

  @BeforeEach
  void setUp() throws Exception {
    router = new FakeRouterAdmin();
    traffic = newTraffic();
  }

  private RouterTraffic newTraffic() throws TargetException {
    RouterTraffic t = new RouterTraffic(router, new PortAllocator(dir.resolve("ports.json")), router::port);
    t.load();
    return t;
  }

  @AfterEach
  void tearDown() {
    traffic.close();
    router.close();
  }

  @Test
  void route_putsTheWholeConfigWithTheCurrentGeneration_andKeepsOtherServices() throws Exception {
    long first = traffic.route("api", V1, 0).generation();
    traffic.route("web", new Traffic.Route(List.of(new Traffic.Backend("web-r1-1", "web-r1", 43001, false)),
        Map.of("web-r1", 100), null), 0);
    Traffic.Applied applied = traffic.route("api", CANARY, first);

    assertThat(router.generation).isEqualTo(3);
    assertThat(traffic.generation()).isEqualTo(3);
    JsonNode last = JsonFiles.MAPPER.readTree(router.bodies.getLast());
    assertThat(last.path("generation").asLong()).isEqualTo(2);
    assertThat(last.path("services").has("web")).isTrue();
    JsonNode api = last.path("services").path("api");
    assertThat(api.path("listen").asInt()).isEqualTo(traffic.frontPort("api"));
    assertThat(api.path("backends").get(1).toString())
        .isEqualTo("{\"id\":\"api-r2-1\",\"version\":\"api-r2\",\"port\":42002,\"state\":\"active\"}");
    assertThat(api.path("weights").toString()).isEqualTo("{\"api-r1\":90,\"api-r2\":10}");
    assertThat(api.path("drainTimeoutMs").asLong()).isEqualTo(5000);
    assertThat(api.has("sticky")).as("nothing in the model makes a route sticky").isFalse();
    assertThat(last.path("services").path("web").path("drainTimeoutMs").asLong()).as("the default").isEqualTo(30_000);
    assertThat(applied).isEqualTo(new Traffic.Applied(3, CANARY, true));
    assertThat(applied.split()).containsExactly(Map.entry("api-r1", 90), Map.entry("api-r2", 10));
    assertThat(traffic.applied("nope")).isEqualTo(new Traffic.Applied(3, null, false));
  }

  @Test
  void route_readsBackWhatTheRouterApplies_afterEveryWrite() throws Exception {
    Traffic.Applied applied = traffic.route("api", V1, 0);

    assertThat(router.requests).endsWith("PUT /routes", "GET /routes");
    assertThat(applied.generation()).isEqualTo(router.generation);
    assertThat(applied.route()).isEqualTo(V1);
  }

  @Test
  void route_whenAnotherWriterChangedTheSameService_doesNotOverwriteIt_andAnswersWhatTheRouterApplies()
      throws Exception {
    long seen = traffic.route("api", V1, 0).generation();
    RouterTraffic other = newTraffic(); // e.g. a second control plane on the same router
    try {
      other.route("api", CANARY, other.applied("api").generation());
    } finally {
      other.close();
    }
    int puts = router.bodies.size();

    Traffic.Route stale = new Traffic.Route(V1.backends(), Map.of("api-r1", 100), Duration.ofSeconds(7));
    Traffic.Applied refused = traffic.route("api", stale, seen);

    assertThat(refused.written()).isFalse();
    assertThat(refused.route()).isEqualTo(CANARY);
    assertThat(refused.generation()).isEqualTo(router.generation);
    // The stale PUT either never left, or the router refused it: the router still applies CANARY.
    assertThat(JsonFiles.MAPPER.readTree(router.services.toString()).path("api").path("weights").toString())
        .isEqualTo("{\"api-r1\":90,\"api-r2\":10}");
    assertThat(router.bodies.size() - puts).isLessThanOrEqualTo(1);
    // Based on what it was given back, the next write goes through.
    assertThat(traffic.route("api", stale, refused.generation()).written()).isTrue();
  }

  @Test
  void route_whenItsAnswerWasLostAndTheRetryConflicts_seesItsOwnRoutesApplied() throws Exception {
    long seen = traffic.route("api", V1, 0).generation();
    router.loseNextAnswer = true;

    Traffic.Applied applied = traffic.route("api", CANARY, seen);

    assertThat(applied.written()).isTrue();
    assertThat(applied.route()).isEqualTo(CANARY);
    assertThat(router.bodies).hasSize(2);
  }

  @Test
  void frontPort_isStableInASessionAndAcrossSessions_andDiffersPerService() throws Exception {
    int api = traffic.frontPort("api");
    assertThat(traffic.frontPort("api")).isEqualTo(api);
    assertThat(traffic.frontPort("web")).isNotEqualTo(api);

    RouterTraffic next = newTraffic();
    try {
      assertThat(next.frontPort("api")).isEqualTo(api);
    } finally {
      next.close();
    }
  }

  @Test
  void load_takesRoutesAndFrontPortsFromTheRouter_afterAReattach() throws Exception {
    traffic.route("api", CANARY, 0);
    int front = traffic.frontPort("api");
    // The router listens on the front port: the allocator must not be asked (it would see it busy).
    try (var busy = new java.net.ServerSocket(front, 1, java.net.InetAddress.getLoopbackAddress())) {
      RouterTraffic reattached = newTraffic();
      try {
        assertThat(reattached.applied("api").route()).isEqualTo(CANARY);
        assertThat(reattached.frontPort("api")).isEqualTo(front);
        assertThat(reattached.generation()).isEqualTo(1);
      } finally {
        reattached.close();
      }
    }
  }

  @Test
  void route_whenOnlyTheGenerationMovedUnderUs_rereadsAndWritesAtTheNewOne() throws Exception {
    long seen = traffic.route("api", V1, 0).generation();
    router.bumpGeneration();

    Traffic.Applied applied = traffic.route("api", CANARY, seen);

    assertThat(router.requests).containsSubsequence("PUT /routes", "PUT /routes", "GET /routes", "PUT /routes");
    assertThat(applied.written()).isTrue();
    assertThat(applied.route()).isEqualTo(CANARY);
    assertThat(traffic.generation()).isEqualTo(router.generation);
  }

  @Test
  void route_whenTheRouterRefusesTheConfig_carriesItsDetails_andKeepsTheLastAppliedRoutes() throws Exception {
    long seen = traffic.route("api", V1, 0).generation();
    Traffic.Route bad = new Traffic.Route(V1.backends(), Map.of("api-r1", 90), null);

    assertThatThrownBy(() -> traffic.route("api", bad, seen)).isInstanceOfSatisfying(TargetException.class, e -> {
      assertThat(e.getMessage()).isEqualTo("the router refused the routes of `api`: Invalid route configuration");
      assertThat(e.details()).containsExactly("services.api.weights: add up to 90; they must add up to 100");
    });
    assertThat(traffic.applied("api").route()).isEqualTo(V1);
  }

  @Test
  void route_whileTheRouterRestartsOnAnotherPort_retriesUntilItAnswers() throws Exception {
    router.stop();
    CompletableFuture<Void> routed = CompletableFuture.runAsync(() -> {
      try {
        traffic.route("api", V1, 0);
      } catch (TargetException e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(300);
    assertThat(routed).isNotDone();

    router.start(0); // the restarted router picked a new admin port

    routed.get(RouterClient.RECONNECT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(traffic.applied("api").route()).isEqualTo(V1);
  }

  @Test
  void backends_mapsTheRoutersFigures_andIsEmptyForAServiceNotRouted() throws Exception {
    traffic.route("api", V1, 0);
    router.backendsJson = "[{\"id\":\"api-r1-1\",\"version\":\"api-r1\",\"state\":\"draining\",\"inflight\":3,"
        + "\"openConnections\":2,\"idleConnections\":1}]";

    assertThat(traffic.backends("api")).containsExactly(new Traffic.BackendState("api-r1-1", "api-r1", "draining", 3, 2));
    assertThat(traffic.backends("web")).isEmpty();
  }

  @Test
  void metrics_pointsAtTheAdminPortWithTheToken() {
    Traffic.MetricsEndpoint m = traffic.metrics();

    assertThat(m.url()).isEqualTo("http://127.0.0.1:" + router.port() + "/metrics");
    assertThat(m.headers()).containsEntry("Authorization", "Bearer " + FakeRouterAdmin.TOKEN);
  }

  @Test
  void clear_removesEveryRoute() throws Exception {
    traffic.route("api", V1, 0);

    traffic.clear();

    assertThat(router.services.isEmpty()).isTrue();
    assertThat(traffic.applied("api").route()).isNull();
  }
}
