package dev.slipway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * HTTP to the router's admin API on 127.0.0.1, with its bearer token. While the router restarts
 * (its supervisor relaunches it after a crash, on a new admin port) requests are retried with
 * backoff for up to {@link #RECONNECT}, re-reading the address each time.
 */
final class RouterClient implements AutoCloseable {

  /** Where the router is; re-read on every attempt, since a restarted router has a new port. */
  interface Admin {
    int port() throws IOException;

    String token();

    /** The router's last log lines, for errors. */
    List<String> evidence();
  }

  /** A response: status and body (JSON, or Prometheus text). */
  record Response(int status, String body) {
    JsonNode json() throws IOException {
      return JsonFiles.MAPPER.readTree(body);
    }
  }

  static final Duration RECONNECT = Duration.ofSeconds(10);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(1);
  private static final System.Logger LOG = System.getLogger(RouterClient.class.getName());

  private final Admin admin;
  private final HttpClient http;

  RouterClient(Admin admin) {
    this.admin = admin;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .proxy(java.net.ProxySelector.of(null)) // loopback: never through an HTTP proxy from the environment
        .build();
  }

  /** One unauthenticated {@code GET /health}, no retries. */
  boolean healthy(int port) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
          .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Response get(String path) throws TargetException {
    return send("GET", path, null);
  }

  Response put(String path, String json) throws TargetException {
    return send("PUT", path, json);
  }

  /**
   * Sends a request; retries while the router cannot be reached (or answers 503), up to
   * {@link #RECONNECT}. Any other answer is returned, whatever its status.
   */
  Response send(String method, String path, String json) throws TargetException {
    long deadline = System.nanoTime() + RECONNECT.toNanos();
    Duration pause = FIRST_PAUSE;
    String problem;
    while (true) {
      try {
        int port = admin.port();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + admin.token());
        if (json != null) {
          b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 503) {
          return new Response(r.statusCode(), r.body());
        }
        problem = "it answered 503";
      } catch (IOException e) {
        problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TargetException(RouterProcess.NAME, "interrupted while talking to the router", null, e);
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new TargetException(RouterProcess.NAME, method + " " + path + ": the router did not answer within "
            + Durations.human(RECONNECT) + " (" + problem + ")",
            "see logs/router.log (its last lines are below); `slipway status` shows whether it is restarting",
            admin.evidence());
      }
      LOG.log(System.Logger.Level.DEBUG, "router unreachable (" + problem + "); retrying in " + pause.toMillis() + " ms");
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TargetException(RouterProcess.NAME, "interrupted while waiting for the router", null, e);
      }
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
