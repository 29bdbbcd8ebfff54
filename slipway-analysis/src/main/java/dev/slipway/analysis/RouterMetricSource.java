package dev.slipway.analysis;

import dev.slipway.model.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Reads the router's own {@code /metrics} (Prometheus text, behind a bearer token) and sums its
 * request counters and latency histogram per version. The router counts from its start, so this
 * source needs no Prometheus; it is the default. Requests a client pinned to a version are not in
 * these counters (the router counts them apart), so nobody can dilute a canary's error rate by pinning.
 *
 * <p>The bearer token is the router's admin token: before each scrape the {@link AdminAddress}
 * confirms that the port still belongs to the router (a restarted router may have lost it to
 * another local process), and nothing is sent when it cannot.
 */
public final class RouterMetricSource implements MetricSource {
  public static final String ID = "router";

  /** Where the router's admin API is, confirmed just before each scrape. */
  @FunctionalInterface
  public interface AdminAddress {
    /**
     * The router's admin base address, e.g. {@code http://127.0.0.1:9901}, once confirmed to be the
     * router's own.
     *
     * @throws IOException when that cannot be confirmed (restarting, or another process has the port)
     */
    URI confirm() throws IOException;
  }

  private final AdminAddress admin;
  private final String token;
  private final Duration timeout;
  private final Clock clock;
  private final HttpClient client;

  /**
   * A router at a fixed address, taken on trust (one you run yourself, tests).
   *
   * @param adminBase the router's admin address, e.g. {@code http://127.0.0.1:9901}
   * @param token     the admin bearer token
   */
  public RouterMetricSource(URI adminBase, String token) {
    this(() -> adminBase, token, Duration.ofSeconds(1), Clock.systemUTC());
  }

  public RouterMetricSource(URI adminBase, String token, Duration timeout, Clock clock) {
    this(() -> adminBase, token, timeout, clock);
  }

  /** A router whose address is confirmed before each scrape sends it the token. */
  public RouterMetricSource(AdminAddress admin, String token) {
    this(admin, token, Duration.ofSeconds(1), Clock.systemUTC());
  }

  public RouterMetricSource(AdminAddress admin, String token, Duration timeout, Clock clock) {
    this.admin = admin;
    this.token = token;
    this.timeout = timeout;
    this.clock = clock;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY) // loopback, with a token: never through a proxy
        .build();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Sample sample(String service) throws AnalysisException {
    String text = fetch();
    SampleBuilder b = new SampleBuilder();
    List<PrometheusText.Series> series = PrometheusText.parse(text,
        n -> n.equals(SampleBuilder.REQUESTS) || n.equals(SampleBuilder.BUCKETS), ID);
    for (PrometheusText.Series s : series) {
      if (!service.equals(s.labels().get("service"))) {
        continue;
      }
      String version = s.labels().get("version");
      String backend = s.labels().get("backend");
      if (s.name().equals(SampleBuilder.REQUESTS)) {
        b.requests(version, backend, s.value(), SampleBuilder.isError(s.labels().get("code")));
      } else if (s.labels().containsKey("le")) {
        b.bucket(version, backend, le(s.labels().get("le")), s.value());
      }
    }
    return b.build(clock.instant());
  }

  private static double le(String text) {
    try {
      return PrometheusText.number(text);
    } catch (IllegalArgumentException e) {
      return Double.NaN; // a bucket bound that is no number cannot be placed; SampleBuilder leaves it out
    }
  }

  private static URI metrics(URI adminBase) {
    String base = adminBase.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/metrics");
  }

  private String fetch() throws AnalysisException {
    URI metrics;
    try {
      metrics = metrics(admin.confirm());
    } catch (IOException e) {
      throw new AnalysisException(ID, "cannot confirm where the router is, so its admin token was not sent: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          "the router may be restarting; the next sample will try again", e);
    }
    HttpRequest request = HttpRequest.newBuilder(metrics).timeout(timeout).header("Authorization", "Bearer " + token)
        .header("Accept", "text/plain").GET().build();
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        throw new AnalysisException(ID, "the router refused the admin token at " + metrics + " (HTTP "
            + r.statusCode() + ")", "the router was probably restarted with a new token; restart the analysis");
      }
      if (r.statusCode() != 200) {
        throw new AnalysisException(ID, "GET " + metrics + " answered HTTP " + r.statusCode(),
            "check the router's log");
      }
      return r.body();
    } catch (HttpTimeoutException e) {
      throw new AnalysisException(ID, "no answer from " + metrics + " within " + Durations.human(timeout),
          "the router may be overloaded; the next sample will try again", e);
    } catch (IOException e) {
      throw new AnalysisException(ID, "cannot reach " + metrics + ": " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()), "check that the router is running", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnalysisException(ID, "interrupted while reading " + metrics, "", e);
    }
  }
}
