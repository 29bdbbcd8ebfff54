package dev.slipway.analysis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One HTTP health check: {@code GET http://127.0.0.1:PORT/PATH}, healthy on any 2xx answered within
 * the timeout. Thread-safe; one instance serves every probe of a control plane.
 */
public final class HttpProbe {
  private final HttpClient client;
  private final Duration timeout;

  public HttpProbe(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** Probes {@code path} on 127.0.0.1:{@code port}. Never throws: failures are results. */
  public ProbeResult probe(int port, String path) {
    long started = System.nanoTime();
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(timeout)
          .header("User-Agent", "slipway-probe")
          .GET()
          .build();
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      int status = response.statusCode();
      return new ProbeResult(status >= 200 && status < 300, status, took,
          status >= 200 && status < 300 ? "HTTP " + status : "answered HTTP " + status);
    } catch (IOException e) {
      return new ProbeResult(false, 0, Duration.ofNanos(System.nanoTime() - started),
          describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ProbeResult(false, 0, Duration.ofNanos(System.nanoTime() - started), "interrupted");
    }
  }

  private static String describe(IOException e) {
    String kind = e.getClass().getSimpleName();
    if (kind.equals("ConnectException")) {
      return "connection refused";
    }
    if (kind.contains("Timeout")) {
      return "no answer within the timeout";
    }
    return e.getMessage() == null ? kind : e.getMessage();
  }

  /**
   * The outcome of one probe.
   *
   * @param healthy whether the endpoint answered 2xx in time
   * @param status  the HTTP status, or 0 when none came
   * @param took    round-trip time
   * @param detail  a short reason, e.g. "connection refused" or "answered HTTP 503"
   */
  public record ProbeResult(boolean healthy, int status, Duration took, String detail) {}
}
