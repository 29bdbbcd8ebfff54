package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.analysis.CanaryJudge;
import dev.slipway.analysis.Sample;
import dev.slipway.analysis.Verdict;
import dev.slipway.analysis.VersionCounters;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.PrometheusSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster's metric source against a real HTTP server answering Prometheus' {@code /api/v1/query} with
 * recorded answers (src/test/resources/prometheus/), one pair per kind of metrics.
 */
class ClusterMetricSourceTest {
  private HttpServer server;
  private final List<String> queries = new CopyOnWriteArrayList<>();
  /** The answer to a query: the body, given the PromQL. */
  private volatile Function<String, String> answer;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/query", exchange -> {
      String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String promql = "";
      for (String pair : form.split("&")) {
        if (pair.startsWith("query=")) {
          promql = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
        }
      }
      queries.add(promql);
      byte[] body = answer.apply(promql).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void micrometer_countsPerReleaseLabel_withPodsAsBackends_and5xxAsErrors() throws Exception {
    answer = recorded("micrometer");
    Sample s = source(new PrometheusSpec(url())).sample("api");
    assertThat(queries).containsExactly(
        "sum by (release, pod, status) (http_server_requests_seconds_count{namespace=\"shop-staging\", service=\"api\"})",
        "sum by (release, pod, le) (http_server_requests_seconds_bucket{namespace=\"shop-staging\", service=\"api\"})");
    assertThat(counts(s.version("r1"))).containsExactly(1001L, 1L);
    assertThat(counts(s.version("r2"))).containsExactly(105L, 20L); // the 404s are requests, not errors
    assertThat(s.backends().get("r1")).containsOnlyKeys("api-r1-7d9f-abcde", "api-r1-7d9f-fghij");
    assertThat(s.version("r2").bounds()).containsExactly(0.1, 0.5, Double.POSITIVE_INFINITY);
    assertThat(s.version("r2").cumulativeBuckets()).containsExactly(10, 50, 105);
  }

  @Test
  void ingressNginx_mapsTheReleaseServiceToItsRelease_andIgnoresOtherServices() throws Exception {
    answer = recorded("ingress-nginx");
    Sample s = source(new PrometheusSpec(url(), PrometheusSpec.INGRESS_NGINX, null, null)).sample("api");
    assertThat(queries.getFirst()).isEqualTo("sum by (service, controller_pod, status) (nginx_ingress_controller_requests"
        + "{namespace=\"shop-staging\", service=~\"api-r[0-9]+\"})");
    assertThat(s.versions()).containsOnlyKeys("r1", "r2");
    assertThat(counts(s.version("r1"))).containsExactly(900L, 0L);
    assertThat(counts(s.version("r2"))).containsExactly(100L, 7L);
    assertThat(s.version("r2").quantile(0.5)).isBetween(0.0, 0.25);
  }

  @Test
  void envoyGateway_readsUpstreamClusterStatsPerBackend_withMillisecondBuckets() throws Exception {
    answer = recorded("envoy-gateway");
    Sample s = source(new PrometheusSpec(url(), PrometheusSpec.ENVOY_GATEWAY, null, null)).sample("api");
    assertThat(queries.getFirst()).contains("envoy_cluster_upstream_rq_xx").contains("shop-staging")
        .contains("api-r[0-9]+");
    assertThat(counts(s.version("r1"))).containsExactly(300L, 0L);
    assertThat(counts(s.version("r2"))).containsExactly(35L, 3L);
    assertThat(s.version("r2").bounds()).containsExactly(0.1, 0.5, Double.POSITIVE_INFINITY);
  }

  @Test
  void overrides_replaceTheDefaultQueries_withReleaseAndCodeLabels() throws Exception {
    answer = q -> q.contains("bucket") ? "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"
        : vector(List.of(series("r4", "200", 40), series("r4", "500", 2)), "code");
    PrometheusSpec spec = new PrometheusSpec(url(), PrometheusSpec.MICROMETER,
        "sum by (release, code) (my_requests_total{ns=\"{{namespace}}\", app=\"{{service}}\"})", "my_bucket");
    Sample s = source(spec).sample("api");
    assertThat(queries.getFirst()).isEqualTo("sum by (release, code) (my_requests_total{ns=\"shop-staging\", app=\"api\"})");
    assertThat(counts(s.version("r4"))).containsExactly(42L, 2L);
  }

  @Test
  void withCanaryJudge_aBadCanaryFails_andTooFewRequestsStayInconclusive() throws Exception {
    CanaryStep.Analysis limits = new CanaryStep.Analysis(0.01, null, null, 200, Duration.ofMinutes(5), List.of());
    ClusterMetricSource source = source(new PrometheusSpec(url()));

    answer = micrometer(1000, 1, 0, 0);
    Sample baseline = source.sample("api");
    answer = micrometer(3000, 2, 500, 60);
    Verdict bad = new CanaryJudge(limits, "r1", "r2", baseline).evaluate(source.sample("api"));
    assertThat(bad).isInstanceOf(Verdict.Fail.class);
    assertThat(bad.reason()).contains("error rate");

    answer = micrometer(1000, 1, 0, 0);
    baseline = source.sample("api");
    answer = micrometer(1200, 1, 20, 0);
    Verdict few = new CanaryJudge(limits, "r1", "r2", baseline).evaluate(source.sample("api"));
    assertThat(few).isInstanceOf(Verdict.Inconclusive.class);
    assertThat(few.reason()).contains("20 of 200 requests");
  }

  private ClusterMetricSource source(PrometheusSpec spec) {
    return new ClusterMetricSource(spec, "shop-staging", Duration.ofSeconds(2), Clock.systemUTC());
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static Function<String, String> recorded(String kind) {
    String requests = resource("/prometheus/" + kind + "-requests.json");
    String buckets = resource("/prometheus/" + kind + "-buckets.json");
    return q -> q.contains("_bucket") ? buckets : requests;
  }

  /** Micrometer's counters: stable r1 and canary r2, each with its requests and 5xx. */
  private static Function<String, String> micrometer(long stable, long stableErrors, long canary, long canaryErrors) {
    String requests = vector(List.of(series("r1", "200", stable - stableErrors), series("r1", "500", stableErrors),
        series("r2", "200", canary - canaryErrors), series("r2", "500", canaryErrors)), "status");
    return q -> q.contains("_bucket") ? "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"
        : requests;
  }

  private static String series(String release, String code, long value) {
    return "{\"metric\":{\"release\":\"" + release + "\",\"pod\":\"api-" + release + "-0\",\"CODE\":\"" + code
        + "\"},\"value\":[1712345678,\"" + value + "\"]}";
  }

  private static String vector(List<String> series, String codeLabel) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + String.join(",", series).replace("\"CODE\"", "\"" + codeLabel + "\"") + "]}}";
  }

  private static List<Long> counts(VersionCounters c) {
    return List.of(c.requests(), c.errors());
  }

  private static String resource(String path) {
    try (InputStream in = ClusterMetricSourceTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
