package dev.slipway.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RouterMetricSource} against a real HTTP server serving router-format metrics. */
class RouterMetricSourceIT {
  private static FakeRouterMetrics router;

  @BeforeAll
  static void start() throws IOException {
    router = new FakeRouterMetrics();
  }

  @AfterAll
  static void stop() {
    router.close();
  }

  private static RouterMetricSource source(String token, Duration timeout) {
    return new RouterMetricSource(router.base(), token, timeout, Clock.systemUTC());
  }

  @Test
  void sample_sumsBackendsPerVersion_countingFiveXxAndProxyFailuresAsErrors() throws AnalysisException {
    router.serve(FakeRouterMetrics.routerText(1));

    Sample s = source(FakeRouterMetrics.TOKEN, Duration.ofSeconds(1)).sample("api");

    assertThat(s.versions()).containsOnlyKeys("r1", "r2");
    assertThat(s.version("r1")).isEqualTo(FakeRouterMetrics.expectedR1(1));
    assertThat(s.version("r2")).isEqualTo(FakeRouterMetrics.expectedR2(1));
    assertThat(s.backends().get("r1")).containsOnlyKeys("api-r1-1", "api-r1-2");
  }

  @Test
  void sample_whenServiceUnknown_hasNoVersions() throws AnalysisException {
    router.serve(FakeRouterMetrics.routerText(1));

    assertThat(source(FakeRouterMetrics.TOKEN, Duration.ofSeconds(1)).sample("nope").versions()).isEmpty();
  }

  @Test
  void sample_whenRouterRestartedBetweenSamples_windowCountsFromTheRestart() throws AnalysisException {
    RouterMetricSource source = source(FakeRouterMetrics.TOKEN, Duration.ofSeconds(1));
    router.serve(FakeRouterMetrics.routerText(10));
    Sample before = source.sample("api");
    router.serve(FakeRouterMetrics.routerText(1));

    Sample window = source.sample("api").minus(before);

    assertThat(window.version("r2")).isEqualTo(FakeRouterMetrics.expectedR2(1));
  }

  @Test
  void sample_whenTokenIsWrong_saysTheRouterRefusedIt() {
    AnalysisException e = catchThrowableOfType(AnalysisException.class,
        () -> source("wrong", Duration.ofSeconds(1)).sample("api"));

    assertThat(e.source()).isEqualTo("router");
    assertThat(e.what()).isEqualTo("the router refused the admin token at " + router.base() + "/metrics (HTTP 401)");
    assertThat(e.hint()).contains("new token");
  }

  @Test
  void sample_whenNothingListens_saysItCannotReachTheRouter() throws IOException {
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    RouterMetricSource source = new RouterMetricSource(URI.create("http://127.0.0.1:" + free), "t");

    AnalysisException e = catchThrowableOfType(AnalysisException.class, () -> source.sample("api"));

    assertThat(e.what()).startsWith("cannot reach http://127.0.0.1:" + free + "/metrics");
    assertThat(e.hint()).isEqualTo("check that the router is running");
  }

  @Test
  void sample_whenTheAddressCannotBeConfirmed_sendsNothing_andAsksAgainNextTime() throws Exception {
    java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer foreign = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
    foreign.createContext("/", x -> {
      received.incrementAndGet();
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    foreign.start();
    try {
      java.util.concurrent.atomic.AtomicBoolean confirmed = new java.util.concurrent.atomic.AtomicBoolean();
      RouterMetricSource source = new RouterMetricSource(() -> {
        if (!confirmed.get()) {
          throw new java.net.ConnectException("port " + foreign.getAddress().getPort() + " is not held by the router");
        }
        return router.base();
      }, FakeRouterMetrics.TOKEN);
      router.serve(FakeRouterMetrics.routerText(1));

      AnalysisException e = catchThrowableOfType(AnalysisException.class, () -> source.sample("api"));

      assertThat(e.what()).isEqualTo("cannot confirm where the router is, so its admin token was not sent: port "
          + foreign.getAddress().getPort() + " is not held by the router");
      assertThat(received).hasValue(0);
      confirmed.set(true);
      assertThat(source.sample("api").version("r2")).isEqualTo(FakeRouterMetrics.expectedR2(1));
    } finally {
      foreign.stop(0);
    }
  }

  @Test
  void sample_whenRouterDoesNotAnswerInTime_givesUpWithATimeout() {
    router.serve(FakeRouterMetrics.routerText(1));
    router.delay(Duration.ofSeconds(2));
    try {
      AnalysisException e = catchThrowableOfType(AnalysisException.class,
          () -> source(FakeRouterMetrics.TOKEN, Duration.ofMillis(200)).sample("api"));

      assertThat(e.what()).isEqualTo("no answer from " + router.base() + "/metrics within 200 ms");
    } finally {
      router.delay(Duration.ZERO);
    }
  }

  @Test
  void sample_whenOurMetricIsMalformed_namesTheLine() {
    router.serve("slipway_router_requests_total{service=\"api\" 12\n");

    AnalysisException e = catchThrowableOfType(AnalysisException.class,
        () -> source(FakeRouterMetrics.TOKEN, Duration.ofSeconds(1)).sample("api"));

    assertThat(e.format()).startsWith("router: malformed metrics line 1 (");
  }
}
