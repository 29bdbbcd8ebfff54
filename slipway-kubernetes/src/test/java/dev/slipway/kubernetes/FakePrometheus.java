package dev.slipway.kubernetes;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus' HTTP API as canary analysis reads it ({@code /api/v1/query}), answered from recorded
 * numbers: per release, how many requests and errors each evaluation adds to the cumulative counters.
 * Series carry both {@code release} and {@code version} labels, so either query shape finds them; latency
 * buckets have no data.
 */
final class FakePrometheus implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, long[]> perQuery = new ConcurrentHashMap<>();
  private final Map<String, long[]> totals = new ConcurrentHashMap<>();
  final AtomicInteger queries = new AtomicInteger();
  private final Map<String, Double> custom = new ConcurrentHashMap<>();
  /** The custom queries asked, as sent (placeholders filled in). */
  final List<String> customAsked = new java.util.concurrent.CopyOnWriteArrayList<>();

  FakePrometheus() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/api/v1/query", exchange -> {
      String q = exchange.getRequestURI().getRawQuery();
      if ("POST".equals(exchange.getRequestMethod())) {
        q = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      }
      String query = q == null ? "" : URLDecoder.decode(q.replaceAll(".*query=([^&]*).*", "$1"), StandardCharsets.UTF_8);
      byte[] body = answer(query).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Each request-count query adds {@code requests} requests, {@code errors} of them 5xx, to {@code release}. */
  FakePrometheus traffic(String release, long requests, long errors) {
    perQuery.put(release, new long[] {requests, errors});
    return this;
  }

  /** A custom query containing {@code metric} yields one series of {@code value}. */
  FakePrometheus custom(String metric, double value) {
    custom.put(metric, value);
    return this;
  }

  private String answer(String query) {
    List<String> series = new ArrayList<>();
    String metric = custom.keySet().stream().filter(query::contains).findFirst().orElse(null);
    if (metric != null) {
      customAsked.add(query);
      series.add("{\"metric\":{},\"value\":[" + (System.currentTimeMillis() / 1000.0) + ",\"" + custom.get(metric)
          + "\"]}");
    } else if (query.contains("bucket")) {
      // Every request so far answered within 25 ms.
      totals.forEach((release, t) -> {
        for (String le : List.of("0.025", "0.5", "+Inf")) {
          series.add(bucket(release, le, t[0]));
        }
      });
    } else {
      queries.incrementAndGet();
      perQuery.forEach((release, step) -> {
        long[] t = totals.computeIfAbsent(release, r -> new long[2]);
        synchronizedAdd(t, step);
        series.add(series(release, "200", t[0] - t[1]));
        series.add(series(release, "500", t[1]));
      });
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + String.join(",", series) + "]}}";
  }

  private static void synchronizedAdd(long[] t, long[] step) {
    java.util.concurrent.locks.ReentrantLock lock = LOCK;
    lock.lock();
    try {
      t[0] += step[0];
      t[1] += step[1];
    } finally {
      lock.unlock();
    }
  }

  private static final java.util.concurrent.locks.ReentrantLock LOCK = new java.util.concurrent.locks.ReentrantLock();

  private static String bucket(String release, String le, long value) {
    return "{\"metric\":{\"release\":\"" + release + "\",\"version\":\"" + release + "\",\"backend\":\"" + release
        + "-pod\",\"pod\":\"" + release + "-pod\",\"le\":\"" + le + "\"},\"value\":[" + (System.currentTimeMillis() / 1000.0)
        + ",\"" + value + "\"]}";
  }

  private static String series(String release, String code, long value) {
    return "{\"metric\":{\"release\":\"" + release + "\",\"version\":\"" + release + "\",\"backend\":\"" + release
        + "-pod\",\"pod\":\"" + release + "-pod\",\"code\":\"" + code + "\",\"status\":\"" + code + "\"},\"value\":[" + (System.currentTimeMillis() / 1000.0) + ",\"" + value + "\"]}";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
