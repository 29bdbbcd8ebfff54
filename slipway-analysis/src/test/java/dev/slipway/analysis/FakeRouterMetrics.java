package dev.slipway.analysis;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A stand-in for the router's admin endpoint: serves {@code /metrics} text that the test controls,
 * behind a bearer token, on 127.0.0.1 and a free port.
 */
final class FakeRouterMetrics implements AutoCloseable {
  static final String TOKEN = "s3cret-token";

  private final HttpServer server;
  private volatile String text = "";
  private volatile Duration delay = Duration.ZERO;

  FakeRouterMetrics() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/metrics", exchange -> {
      try (exchange) {
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        sleep(delay);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int port() {
    return server.getAddress().getPort();
  }

  void serve(String metricsText) {
    this.text = metricsText;
  }

  void delay(Duration d) {
    this.delay = d;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * Router text for service {@code api}: stable r1 on two backends, canary r2 on one, every code,
   * a histogram per backend, and things the analysis must ignore (another service, other metrics).
   * {@code scale} multiplies every counter, to simulate growth or a restart.
   */
  static String routerText(long scale) {
    StringBuilder b = new StringBuilder("""
        # HELP slipway_router_requests_total Requests answered, by outcome.
        # TYPE slipway_router_requests_total counter
        """);
    String[][] series = {{"r1", "api-r1-1"}, {"r1", "api-r1-2"}, {"r2", "api-r2-1"}};
    long[][] codes = {{400, 10, 3, 2, 1}, {300, 5, 2, 1, 1}, {90, 2, 1, 4, 3}}; // 2xx 3xx 4xx 5xx error
    String[] names = {"2xx", "3xx", "4xx", "5xx", "error"};
    for (int s = 0; s < series.length; s++) {
      for (int c = 0; c < names.length; c++) {
        b.append("slipway_router_requests_total{service=\"api\",version=\"").append(series[s][0])
            .append("\",backend=\"").append(series[s][1]).append("\",code=\"").append(names[c]).append("\"} ")
            .append(codes[s][c] * scale).append('\n');
      }
    }
    b.append("slipway_router_requests_total{service=\"web\",version=\"r1\",backend=\"web-r1-1\",code=\"5xx\"} 999\n");
    // Requests clients pinned to a version: never part of the analysis (anyone can pin).
    b.append("slipway_router_pinned_requests_total{service=\"api\",version=\"r2\",backend=\"api-r2-1\",code=\"2xx\"} ")
        .append(5000 * scale).append('\n');
    b.append("# TYPE slipway_router_request_duration_seconds histogram\n");
    String[] le = {"0.1", "0.25", "0.5", "+Inf"};
    long[][] buckets = {{300, 400, 410, 416}, {250, 300, 305, 309}, {50, 80, 90, 100}};
    for (int s = 0; s < series.length; s++) {
      for (int i = 0; i < le.length; i++) {
        b.append("slipway_router_request_duration_seconds_bucket{service=\"api\",version=\"").append(series[s][0])
            .append("\",backend=\"").append(series[s][1]).append("\",le=\"").append(le[i]).append("\"} ")
            .append(buckets[s][i] * scale).append('\n');
      }
      b.append("slipway_router_request_duration_seconds_sum{service=\"api\",version=\"").append(series[s][0])
          .append("\",backend=\"").append(series[s][1]).append("\"} ").append(12.5 * scale).append('\n');
    }
    b.append("slipway_router_inflight_requests{service=\"api\",version=\"r2\",backend=\"api-r2-1\"} 3\n");
    b.append("slipway_router_retries_total{service=\"api\"} 7\n");
    b.append("process_start_time_seconds 1.7e+09\n");
    return b.toString();
  }

  /** What {@link #routerText(long)} holds for version r1 (two backends summed) and r2. */
  static VersionCounters expectedR1(long scale) {
    return new VersionCounters(725 * scale, 5 * scale, new double[] {0.1, 0.25, 0.5, Double.POSITIVE_INFINITY},
        new long[] {550 * scale, 700 * scale, 715 * scale, 725 * scale});
  }

  static VersionCounters expectedR2(long scale) {
    return new VersionCounters(100 * scale, 7 * scale, new double[] {0.1, 0.25, 0.5, Double.POSITIVE_INFINITY},
        new long[] {50 * scale, 80 * scale, 90 * scale, 100 * scale});
  }
}
