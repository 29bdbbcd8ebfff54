package dev.slipway.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.model.MetricQuery;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrometheusMetricSource} and {@link PromQueries} against a real Prometheus (Debian's
 * {@code /usr/bin/prometheus}, run in the foreground as this test's child) that scrapes a fake router
 * every second.
 */
class PrometheusMetricSourceIT {
  private static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir
  static Path dir;
  private static FakeRouterMetrics router;
  private static Process prometheus;
  private static URI base;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(BINARY), "needs " + BINARY + "; run bin/setup-test-machine as root");
    router = new FakeRouterMetrics();
    router.serve(FakeRouterMetrics.routerText(1));
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global: { scrape_interval: 1s, evaluation_interval: 1s }
        scrape_configs:
          - job_name: router
            authorization: { type: Bearer, credentials: %s }
            static_configs: [ { targets: [ "127.0.0.1:%d" ] } ]
        """.formatted(FakeRouterMetrics.TOKEN, router.port()));
    int port = freePort();
    base = URI.create("http://127.0.0.1:" + port);
    prometheus = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    awaitReady();
    awaitSample(new PrometheusMetricSource(base), FakeRouterMetrics.expectedR2(1));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (router != null) {
      router.close();
    }
  }

  @Test
  void sample_readsTheSameNumbersAsTheRouterItself() throws Exception {
    router.serve(FakeRouterMetrics.routerText(1));
    PrometheusMetricSource source = new PrometheusMetricSource(base, Duration.ofSeconds(2), Clock.systemUTC());

    Sample s = awaitSample(source, FakeRouterMetrics.expectedR2(1));

    assertThat(source.id()).isEqualTo("prometheus");
    assertThat(s.versions()).containsOnlyKeys("r1", "r2");
    assertThat(s.version("r1")).isEqualTo(FakeRouterMetrics.expectedR1(1));
    assertThat(s.versions()).isEqualTo(new RouterMetricSource(router.base(), FakeRouterMetrics.TOKEN).sample("api")
        .versions());
  }

  @Test
  void sample_whenRouterRestarts_windowCountsFromTheRestart() throws Exception {
    PrometheusMetricSource source = new PrometheusMetricSource(base, Duration.ofSeconds(2), Clock.systemUTC());
    router.serve(FakeRouterMetrics.routerText(10));
    Sample before = awaitSample(source, FakeRouterMetrics.expectedR2(10));
    router.serve(FakeRouterMetrics.routerText(2));

    Sample after = awaitSample(source, FakeRouterMetrics.expectedR2(2));

    assertThat(after.minus(before).version("r2")).isEqualTo(FakeRouterMetrics.expectedR2(2));
    router.serve(FakeRouterMetrics.routerText(1));
  }

  @Test
  void queries_expandPlaceholders_andYieldOneNumberEach() throws Exception {
    router.serve(FakeRouterMetrics.routerText(1));
    awaitSample(new PrometheusMetricSource(base), FakeRouterMetrics.expectedR2(1));
    List<MetricQuery> queries = List.of(
        new MetricQuery("canary-requests",
            "sum(slipway_router_requests_total{service=\"{{service}}\",version=\"{{canary}}\"})", null, 1.0),
        new MetricQuery("stable-errors",
            "sum(slipway_router_requests_total{service=\"{{service}}\",version=\"{{stable}}\",code=~\"5xx|error\"})",
            10.0, null),
        new MetricQuery("canary-error-rate", "sum(rate(slipway_router_requests_total{service=\"{{service}}\","
            + "version=\"{{canary}}\",code=\"5xx\"}[{{window}}]))", 0.5, null),
        new MetricQuery("nothing", "sum(no_such_metric{service=\"{{service}}\"})", 1.0, null));

    PromQueries promQueries = new PromQueries(base);
    Map<String, Double> values = promQueries.evaluate(queries, "api", "r2", "r1", Duration.ofSeconds(30));
    Instant deadline = Instant.now().plus(DEADLINE);
    while (values.get("canary-error-rate") == null && Instant.now().isBefore(deadline)) { // rate() needs 2 scrapes
      Thread.sleep(200);
      values = promQueries.evaluate(queries, "api", "r2", "r1", Duration.ofSeconds(30));
    }

    assertThat(values.keySet()).containsExactly("canary-requests", "stable-errors", "canary-error-rate", "nothing");
    assertThat(values.get("canary-requests")).isEqualTo(100.0);
    assertThat(values.get("stable-errors")).isEqualTo(5.0);
    // a number, whatever the restart test did to the counters within the window
    assertThat(values.get("canary-error-rate")).as("rate over {{window}}").isNotNull().isGreaterThanOrEqualTo(0.0);
    assertThat(values.get("nothing")).as("no data").isNull();
  }

  @Test
  void queries_whenAQueryYieldsSeveralSeries_askToAggregateIt() {
    MetricQuery perVersion = new MetricQuery("per-version",
        "sum by (version) (slipway_router_requests_total{service=\"{{service}}\"})", 1.0, null);

    AnalysisException e = catchThrowableOfType(AnalysisException.class,
        () -> new PromQueries(base).evaluate(List.of(perVersion), "api", "r2", "r1", Duration.ofSeconds(5)));

    assertThat(e.what()).isEqualTo("query `per-version` yields 2 series, not one number: "
        + "sum by (version) (slipway_router_requests_total{service=\"api\"})");
    assertThat(e.hint()).startsWith("aggregate it");
  }

  @Test
  void queries_whenPromqlIsInvalid_passOnPrometheusReason() {
    MetricQuery broken = new MetricQuery("broken", "sum(rate(x[{{window}}])", 1.0, null);

    AnalysisException e = catchThrowableOfType(AnalysisException.class,
        () -> new PromQueries(base).evaluate(List.of(broken), "api", "r2", "r1", Duration.ofSeconds(5)));

    assertThat(e.source()).isEqualTo("prometheus");
    assertThat(e.what()).startsWith("query failed (bad_data: ").endsWith("): sum(rate(x[5s])");
  }

  /** Samples until the canary's counters are {@code expected}, i.e. Prometheus has scraped the current text. */
  private static Sample awaitSample(PrometheusMetricSource source, VersionCounters expected) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    Sample s = source.sample("api");
    while (!s.version("r2").equals(expected) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      s = source.sample("api");
    }
    assertThat(s.version("r2")).as("canary counters scraped within %s", DEADLINE).isEqualTo(expected);
    return s;
  }

  private static void awaitReady() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      assertThat(prometheus.isAlive()).as("prometheus is running; its log:\n%s",
          Files.readString(dir.resolve("prometheus.log"))).isTrue();
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(base.resolve("/-/ready"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet; the deadline bounds the wait
      }
      Thread.sleep(100);
    }
    throw new AssertionError("prometheus not ready within " + DEADLINE + "; log:\n"
        + Files.readString(dir.resolve("prometheus.log")));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
