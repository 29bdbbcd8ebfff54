package dev.slipway.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady HTTP load for the demo: a few keep-alive clients paced to a total rate, counting answers by
 * the release that served them (the router's {@code X-Slipway-Version} header) and by status class.
 */
final class LoadGenerator implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final URI uri;
  private final int ratePerSecond;
  private final int clients;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  final LongAdder requests = new LongAdder();
  final LongAdder failed = new LongAdder();
  final Map<String, LongAdder> served = new ConcurrentHashMap<>();
  final Map<String, LongAdder> serverErrors = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> firstErrorAt = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> lastServedAt = new ConcurrentHashMap<>();
  /** The first few failures, described, for diagnosis. */
  final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

  LoadGenerator(URI uri, int ratePerSecond, int clients) {
    this.uri = uri;
    this.ratePerSecond = ratePerSecond;
    this.clients = clients;
  }

  void start() {
    long periodNanos = 1_000_000_000L * clients / ratePerSecond;
    for (int c = 0; c < clients; c++) {
      threads.add(Thread.ofVirtual().name("load-" + c).start(() -> {
        long next = System.nanoTime();
        while (running) {
          one();
          next += periodNanos;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
              return;
            }
          } else {
            next = System.nanoTime();
          }
        }
      }));
    }
  }

  private void one() {
    requests.increment();
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      String release = r.headers().firstValue("X-Slipway-Version").orElse("?");
      long now = System.nanoTime();
      served.computeIfAbsent(release, k -> new LongAdder()).increment();
      lastServedAt.computeIfAbsent(release, k -> new AtomicLong()).set(now);
      if (r.statusCode() >= 500) {
        serverErrors.computeIfAbsent(release, k -> new LongAdder()).increment();
        firstErrorAt.computeIfAbsent(release, k -> new AtomicLong(now));
        note(java.time.Instant.now() + " HTTP " + r.statusCode() + " from " + release);
      } else if (r.statusCode() >= 400) {
        failed.increment();
        note(java.time.Instant.now() + " HTTP " + r.statusCode() + " from " + release);
      }
    } catch (IOException | RuntimeException e) {
      // anything else would end this client's thread silently, and the load with it
      failed.increment();
      note(java.time.Instant.now() + " " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void note(String failure) {
    if (failures.size() < 20) {
      failures.add(failure);
    }
  }

  /** 5xx answers, except those from {@code excluded} (a release whose errors were injected on purpose). */
  long failedExcept(String excluded) {
    long n = failed.sum();
    for (Map.Entry<String, LongAdder> e : serverErrors.entrySet()) {
      if (!e.getKey().equals(excluded)) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  long served(String release) {
    LongAdder a = served.get(release);
    return a == null ? 0 : a.sum();
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
