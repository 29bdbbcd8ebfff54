package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Traffic;
import dev.slipway.model.RouterLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real router, started and supervised by the local target, configured through its admin API. */
class RouterProcessIT {

  @TempDir
  Path base;
  private LocalTarget target;
  private final List<HttpServer> backends = new ArrayList<>();

  @BeforeEach
  void setUp() {
    target = newTarget();
  }

  private LocalTarget newTarget() {
    return new LocalTarget("demo", base, base.resolve(".slipway"), new SecretMasker());
  }

  @AfterEach
  void noProcessLeftBehind() throws Exception {
    target.close();
    backends.forEach(b -> b.stop(0));
    Procs.assertNothingLeft(base);
  }

  /** A backend in this JVM that answers with its name. */
  private int backend(String name) throws Exception {
    return backend(name, 200);
  }

  private int backend(String name, int status) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    byte[] body = name.getBytes(StandardCharsets.UTF_8);
    server.createContext("/", x -> {
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(status, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
    backends.add(server);
    return server.getAddress().getPort();
  }

  private static Traffic.Route route(int p1, int p2, int w1, int w2) {
    return new Traffic.Route(List.of(new Traffic.Backend("api-r1-1", "api-r1", p1, false),
        new Traffic.Backend("api-r2-1", "api-r2", p2, false)), Map.of("api-r1", w1, "api-r2", w2),
        Duration.ofSeconds(5));
  }

  @Test
  void route_sendsTrafficThroughTheFrontPort_andWeightsSwitchIt() throws Exception {
    int b1 = backend("one");
    int b2 = backend("two");
    long t0 = System.nanoTime();
    Traffic traffic = target.traffic();
    System.out.printf("router start (to /health): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    String url = "http://127.0.0.1:" + traffic.frontPort("api") + "/";

    TrafficWrites.put(traffic, "api", route(b1, b2, 100, 0));
    assertThat(Http.get(url).body()).isEqualTo("one");

    TrafficWrites.put(traffic, "api", route(b1, b2, 0, 100));
    assertThat(Http.get(url).body()).isEqualTo("two");

    TrafficWrites.put(traffic, "api", route(b1, b2, 50, 50));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 40 && seen.size() < 2; i++) {
      seen.add(Http.get(url).body());
    }
    assertThat(seen).containsExactlyInAnyOrder("one", "two");
    assertThat(traffic.backends("api")).extracting(Traffic.BackendState::id)
        .containsExactlyInAnyOrder("api-r1-1", "api-r2-1");
    assertThat(target.traffic()).isSameAs(traffic);
  }

  @Test
  void theEnvironmentsRouterLimits_reachTheRouter() throws Exception {
    target.close();
    target = new LocalTarget("demo", base, base.resolve(".slipway"), new SecretMasker(),
        new RouterLimits(null, Duration.ofSeconds(1), null, null, null, null));
    Traffic traffic = target.traffic();
    TrafficWrites.put(traffic, "api", route(backend("one"), backend("two"), 100, 0));
    try (java.net.Socket silent = new java.net.Socket(InetAddress.getLoopbackAddress(), traffic.frontPort("api"))) {
      silent.setSoTimeout(10_000);
      long t0 = System.nanoTime();
      // A client that sends nothing: cut with a 408 at the environment's 1 s, not the default 10 s.
      String answer = new String(silent.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 408");
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    }
  }

  @Test
  void adminApi_wantsTheToken_andTheTokenFileIsPrivate() throws Exception {
    Traffic traffic = target.traffic();
    Traffic.MetricsEndpoint metrics = traffic.metrics();
    HttpClient http = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null)).build();
    URI routes = URI.create(metrics.url().replace("/metrics", "/routes"));

    assertThat(http.send(HttpRequest.newBuilder(routes).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
    HttpRequest.Builder scrape = HttpRequest.newBuilder(URI.create(metrics.url()));
    metrics.headers().forEach(scrape::header);
    assertThat(http.send(scrape.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    Path token = base.resolve(".slipway/router/token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
    assertThat(Files.readString(token).trim()).matches("[0-9a-f]{64}");
  }

  @Test
  void afterKill9_theSupervisorRestartsTheRouter_whichServesTheSameRoutes_andTheClientFindsItAgain() throws Exception {
    int b1 = backend("one");
    int b2 = backend("two");
    RouterTraffic traffic = (RouterTraffic) target.traffic();
    String url = "http://127.0.0.1:" + traffic.frontPort("api") + "/";
    TrafficWrites.put(traffic, "api", route(b1, b2, 0, 100));
    long pid = routerPid();
    Traffic.MetricsEndpoint metrics = traffic.metrics();

    long t0 = System.nanoTime();
    ProcessGroups.signal(pid, Signal.KILL);
    assertThat(Http.awaitOk(url, Duration.ofSeconds(20))).as("serving again").isTrue();
    System.out.printf("router back after kill -9: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(routerPid()).isNotEqualTo(pid);
    assertThat(Http.get(url).body()).isEqualTo("two");
    TrafficWrites.put(traffic, "api", route(b1, b2, 100, 0)); // through the new admin port
    assertThat(Http.get(url).body()).isEqualTo("one");
    assertThat(Files.readString(base.resolve(".slipway/logs/router.log"))).contains("--- slipway: starting router (attempt 2)");
    assertThat(traffic.metrics()).as("the admin port survives restarts").isEqualTo(metrics);
  }

  @Test
  void pinningOff_clientsCannotPinNorSeeTheRelease_butTheSmokeCheckStillReachesIt() throws Exception {
    int b1 = backend("one");
    int b2 = backend("two", 203);
    Traffic traffic = target.traffic();
    String url = "http://127.0.0.1:" + traffic.frontPort("api") + "/";
    Traffic.Route route = route(b1, b2, 100, 0).withClientAccess(false, false);

    assertThat(TrafficWrites.put(traffic, "api", route).route()).isEqualTo(route);
    HttpClient http = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null)).build();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Slipway-Version", "api-r2")
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("one");
      assertThat(r.headers().firstValue("X-Slipway-Version")).isEmpty();
    }
    assertThat(traffic.get("api", "api-r2", "/", Duration.ofSeconds(5))).as("the smoke check of api-r2").isEqualTo(203);
    assertThat(traffic.get("api", "api-r1", "/", Duration.ofSeconds(5))).isEqualTo(200);
  }

  /**
   * The canary analysis scrapes the router's /metrics with its admin token, as the engine wires it
   * (AnalystChoice). After a kill -9 another local process takes the admin port before the router is
   * back: it must never see the token.
   */
  @Test
  void afterKill9_aProcessThatTookTheAdminPort_neverReceivesTheToken() throws Exception {
    RouterTraffic traffic = (RouterTraffic) target.traffic();
    Traffic.MetricsEndpoint metrics = traffic.metrics();
    String token = metrics.headers().get("Authorization").substring("Bearer ".length());
    int adminPort = URI.create(metrics.url()).getPort();
    dev.slipway.analysis.RouterMetricSource source = new dev.slipway.analysis.RouterMetricSource(
        () -> URI.create(traffic.confirmedMetricsUrl().replace("/metrics", "")), token);
    assertThat(source.sample("api").versions()).as("the real router is scraped").isEmpty();

    ProcessGroups.signal(routerPid(), Signal.KILL);
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer foreign = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (foreign == null && System.nanoTime() < deadline) {
      try {
        foreign = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), adminPort), 16);
      } catch (java.net.BindException stillTheRouters) {
        Thread.sleep(1);
      }
    }
    assertThat(foreign).as("took port " + adminPort + " before the router came back").isNotNull();
    try {
      foreign.createContext("/", x -> {
        // Whether it came with a token, not the token: a failing test must not print it.
        received.add(x.getRequestMethod() + " " + x.getRequestURI()
            + (x.getRequestHeaders().containsKey("Authorization") ? " with" : " without") + " an Authorization header");
        byte[] body = "slipway_router_config_generation 0\n".getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
      });
      foreign.start();
      int refused = 0;
      for (long end = System.nanoTime() + Duration.ofSeconds(2).toNanos(); System.nanoTime() < end; ) {
        try {
          source.sample("api");
        } catch (dev.slipway.analysis.AnalysisException e) {
          assertThat(e.what()).contains("its admin token was not sent");
          refused++;
        }
        Thread.sleep(20);
      }
      assertThat(received).as("requests the foreign process received").isEmpty();
      assertThat(refused).isPositive();
    } finally {
      foreign.stop(0);
    }
  }

  @Test
  void frontPort_staysTheSameAcrossControlPlanes_andAfterACleanStopNoRoutesAreLeft() throws Exception {
    int b1 = backend("one");
    Traffic traffic = target.traffic();
    int front = traffic.frontPort("api");
    TrafficWrites.put(traffic, "api", new Traffic.Route(List.of(new Traffic.Backend("api-r1-1", "api-r1", b1, false)),
        Map.of("api-r1", 100), null));
    target.close();

    target = newTarget();
    Traffic again = target.traffic();
    assertThat(again.applied("api").route()).isNull();
    assertThat(again.frontPort("api")).isEqualTo(front);
  }

  private long routerPid() throws Exception {
    return new ProcessRegistry(base.resolve(".slipway/run/processes.json")).entries().stream()
        .filter(e -> e.kind().equals("router")).findFirst().orElseThrow().pid();
  }
}
