package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary's analysis step in GitOps mode: judged by the local engine's judge from the environment's
 * Prometheus (a JDK HTTP server answering {@code /api/v1/query} in Micrometer's shape, counters growing
 * with every sample), a failure rolled back by one commit recording what was measured.
 */
class GitOpsAnalysisTest {
  static final String DIR = "deploy/staging";

  @TempDir Path tmp;
  GitOpsFixture f;
  HttpServer prometheus;
  final AtomicInteger samples = new AtomicInteger();
  /** Canary (r2) responses per sample: ok ones and 5xx ones; stable (r1) gets 100 ok ones. */
  volatile int canaryOk;
  volatile int canaryErrors;

  @BeforeEach
  void setUp() throws Exception {
    f = new GitOpsFixture(tmp);
    prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    prometheus.createContext("/api/v1/query", exchange -> {
      String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String promql = "";
      for (String pair : form.split("&")) {
        if (pair.startsWith("query=")) {
          promql = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
        }
      }
      String result = "";
      if (promql.contains("http_server_requests_seconds_count") && promql.contains("service=\"cart\"")) {
        int n = samples.incrementAndGet();
        result = series("r1", "200", 1000 + 100L * n) + "," + series("r2", "200", (long) canaryOk * n) + ","
            + series("r2", "500", (long) canaryErrors * n);
      }
      byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    prometheus.start();
  }

  @AfterEach
  void tearDown() {
    prometheus.stop(0);
    f.close();
  }

  private static String series(String release, String status, long value) {
    return "{\"metric\":{\"release\":\"" + release + "\",\"pod\":\"cart-" + release + "-a\",\"status\":\"" + status
        + "\"},\"value\":[1712345678.123,\"" + value + "\"]}";
  }

  private GitOpsEnvironment runner() throws KubernetesException {
    URI url = URI.create("http://127.0.0.1:" + prometheus.getAddress().getPort());
    GitOpsEnvironment e = f.runner("alice", null, f.progress::add, f.withPrometheus(url));
    e.analysisEvery = Duration.ofMillis(20);
    return e;
  }

  @Test
  void aFailedAnalysis_isRolledBackByOneCommit_recordingWhatWasMeasured() throws Exception {
    GitOpsEnvironment e = runner();
    e.deploy(GitOpsFixture.order("cart", "v1"));
    canaryOk = 20;
    canaryErrors = 20;

    DeployResult r = e.deploy(GitOpsFixture.order("cart", "v2"));

    assertThat(r.ok()).as(r.message()).isFalse();
    assertThat(r.message()).startsWith("cart r2 rolled back: analysis failed: ");
    List<RevCommit> commits = f.commits();
    assertThat(commits).extracting(RevCommit::getShortMessage).containsExactly(
        "deploy cart r1 (image ghcr.io/acme/shop-cart:v1) by alice@host",
        "deploy cart r2 step 1/3: 20% to canary (image ghcr.io/acme/shop-cart:v2) by alice@host",
        "rollback cart r2 (image ghcr.io/acme/shop-cart:v2): traffic back to r1 by alice@host");
    // Traffic back to stable in that one commit: the directory is again exactly what it was before the canary.
    assertThat(f.tree(commits.get(2), DIR)).isEqualTo(f.tree(commits.get(0), DIR));
    assertThat(commits.get(2).getFullMessage()).contains("Slipway-State: rolled-back",
        "Slipway-Reason: analysis failed: ", "Slipway-Measurements: windowSeconds=", "canary.errorRate=0.5");
    ClusterRelease failed = e.history("cart").getFirst();
    assertThat(failed.id() + " " + failed.state()).isEqualTo("r2 rolled-back");
    assertThat(failed.reason()).startsWith("analysis failed: ").contains("exceeded the 1% limit");
    assertThat(failed.measurements()).containsEntry("canary.errorRate", 0.5).containsKey("stable.requests");
    assertThat(e.history("cart").get(1).state()).isEqualTo("live");
    assertThat(f.progress).anyMatch(l -> l.startsWith("· cart r2: analysis failed — "));
  }

  @Test
  void aPassedAnalysis_goesOnToTheNextStep_andThePromotionCarriesTheMeasurements() throws Exception {
    GitOpsEnvironment e = runner();
    e.deploy(GitOpsFixture.order("cart", "v1"));
    canaryOk = 60;

    DeployResult r = e.deploy(GitOpsFixture.order("cart", "v2"));

    assertThat(r.ok()).as(r.message()).isTrue();
    assertThat(f.commits()).extracting(RevCommit::getShortMessage).containsExactly(
        "deploy cart r1 (image ghcr.io/acme/shop-cart:v1) by alice@host",
        "deploy cart r2 step 1/3: 20% to canary (image ghcr.io/acme/shop-cart:v2) by alice@host",
        "deploy cart r2 step 3/3: 50% to canary (image ghcr.io/acme/shop-cart:v2) by alice@host",
        "deploy cart r2: all traffic (image ghcr.io/acme/shop-cart:v2) by alice@host");
    ClusterRelease live = e.history("cart").getFirst();
    assertThat(live.id() + " " + live.state()).isEqualTo("r2 live");
    assertThat(live.measurements()).containsEntry("canary.errorRate", 0.0);
    assertThat(live.measurements().get("canary.requests")).isGreaterThanOrEqualTo(100);
    assertThat(samples.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void withoutPrometheus_aCanaryWithAnalysis_isRefusedBeforeAnythingIsCommitted() throws Exception {
    GitOpsEnvironment e = f.runner("alice");
    e.deploy(GitOpsFixture.order("cart", "v1"));

    assertThatThrownBy(() -> e.deploy(GitOpsFixture.order("cart", "v2")))
        .isInstanceOfSatisfying(KubernetesException.class, x -> {
          assertThat(x.exitCode()).isEqualTo(KubernetesException.BAD_INPUT);
          assertThat(x.getMessage()).contains("cart", "analysis steps", "environment staging has no `prometheus:`");
          assertThat(x.fix()).contains("add `prometheus: http://PROMETHEUS:9090` to environments.staging",
              "remove the analysis steps");
        });
    assertThat(f.commits()).hasSize(1);
  }
}
