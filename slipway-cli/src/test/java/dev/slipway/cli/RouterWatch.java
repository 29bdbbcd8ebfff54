package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches what the router applies to one service, straight from its admin API ({@code GET /routes}),
 * as fast as it answers: every configuration seen, with when it was seen. Independent of the
 * control plane, so tests can hold the engine's reports against the router's truth.
 */
final class RouterWatch implements AutoCloseable {

  /** One configuration of the service as the router applied it, and when the watch saw it (System.nanoTime). */
  record Seen(long atNanos, long generation, Map<String, Integer> split, Set<String> active, Set<String> versions) {}

  private final HttpClient http = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null))
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final Path routerDir;
  private final String service;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<Long> generationsRead = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;
  private Thread thread;

  RouterWatch(Path stateDir, String service) {
    this.routerDir = stateDir.resolve("router");
    this.service = service;
  }

  RouterWatch start() {
    thread = Thread.ofVirtual().name("router-watch").start(() -> {
      while (running) {
        try {
          Seen now = read();
          generationsRead.add(now.generation());
          if (seen.isEmpty() || seen.getLast().generation() != now.generation()) {
            seen.add(now);
          }
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        } catch (IOException e) {
          // The router restarts or is busy: the next read tells.
        }
      }
    });
    return this;
  }

  /** What the router applies now. */
  Seen read() throws IOException, InterruptedException {
    JsonNode router = CliTestSupport.JSON.readTree(routerDir.resolve("router.json").toFile());
    String token = Files.readString(routerDir.resolve("token")).trim();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + router.get("adminPort").asInt() + "/routes")).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET /routes answered " + r.statusCode());
    }
    JsonNode config = CliTestSupport.JSON.readTree(r.body());
    JsonNode entry = config.path("services").path(service);
    Set<String> active = new LinkedHashSet<>();
    Set<String> versions = new LinkedHashSet<>();
    for (JsonNode b : entry.path("backends")) {
      versions.add(b.path("version").asText());
      if (!"draining".equals(b.path("state").asText())) {
        active.add(b.path("version").asText());
      }
    }
    // The split as the router makes it: the weights of the versions with an active backend.
    Map<String, Integer> split = new LinkedHashMap<>();
    for (String v : active) {
      split.put(v, entry.path("weights").has(v) ? entry.path("weights").get(v).asInt() : active.size() == 1 ? 100 : 0);
    }
    return new Seen(System.nanoTime(), config.path("generation").asLong(), split, active, versions);
  }

  /** Every configuration seen, in the order seen. */
  List<Seen> seen() {
    return new ArrayList<>(seen);
  }

  /** Every generation read, in the order read (repeats included). */
  List<Long> generationsRead() {
    return new ArrayList<>(generationsRead);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.join(5_000);
    }
    http.close();
  }
}
