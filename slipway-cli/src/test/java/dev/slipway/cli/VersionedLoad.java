package dev.slipway.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Closed-loop HTTP load (each client sends its next request when the last one is answered), recording
 * for every request when it was sent and which release answered it ({@code X-Slipway-Version}).
 */
final class VersionedLoad implements AutoCloseable {

  /** One request: sent at (System.nanoTime), answered by {@code version} with {@code status} (0: no answer). */
  record Request(long sentNanos, String version, int status, String error) {
    boolean failed() {
      return status == 0 || status >= 500;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .proxy(java.net.ProxySelector.of(null)).connectTimeout(Duration.ofSeconds(2)).build();
  private final URI uri;
  private final int clients;
  private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  VersionedLoad(URI uri, int clients) {
    this.uri = uri;
    this.clients = clients;
  }

  VersionedLoad start() {
    for (int c = 0; c < clients; c++) {
      threads.add(Thread.ofVirtual().name("load-" + c).start(() -> {
        while (running) {
          long sent = System.nanoTime();
          try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
            requests.add(new Request(sent, r.headers().firstValue("X-Slipway-Version").orElse("?"), r.statusCode(), null));
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          } catch (java.io.IOException e) {
            requests.add(new Request(sent, "?", 0, e.toString()));
          }
        }
      }));
    }
    return this;
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(15_000);
    }
    http.close();
  }
}
