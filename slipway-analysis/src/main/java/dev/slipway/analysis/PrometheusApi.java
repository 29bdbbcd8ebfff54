package dev.slipway.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.model.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Instant queries against Prometheus' HTTP API ({@code POST /api/v1/query}). Public for the cluster's
 * metric source (slipway-kubernetes), which asks its own PromQL.
 */
public final class PrometheusApi {
  public static final String ID = "prometheus";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final Duration timeout;
  private final HttpClient client;

  /** One element of an instant vector (or a scalar, without labels). */
  public record Result(Map<String, String> labels, double value) {}

  public PrometheusApi(URI base, Duration timeout) {
    String b = base.toString();
    this.endpoint = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/api/v1/query");
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Evaluates {@code promql} at {@code time}; an empty list when it has no data. */
  public List<Result> query(String promql, Instant time) throws AnalysisException {
    String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&time=" + time.getEpochSecond() + "." + String.format("%03d", time.getNano() / 1_000_000);
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> r;
    try {
      r = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new AnalysisException(ID, "no answer from " + endpoint + " within " + Durations.human(timeout),
          "Prometheus may be overloaded, or the query too expensive", e);
    } catch (IOException e) {
      throw new AnalysisException(ID, "cannot reach " + endpoint + ": " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()), "check that the prometheus resource is running", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnalysisException(ID, "interrupted while querying " + endpoint, "", e);
    }
    JsonNode body = parse(r);
    if (!"success".equals(body.path("status").asText())) {
      throw new AnalysisException(ID, "query failed (" + body.path("errorType").asText("HTTP " + r.statusCode())
          + ": " + body.path("error").asText("no reason given") + "): " + promql,
          "check the PromQL, e.g. in Prometheus' own web page");
    }
    return results(body.path("data"), promql);
  }

  private JsonNode parse(HttpResponse<String> r) throws AnalysisException {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AnalysisException(ID, endpoint + " answered HTTP " + r.statusCode() + " with no JSON",
          "check that the prometheus resource's URL points at Prometheus itself", e);
    }
  }

  private static List<Result> results(JsonNode data, String promql) throws AnalysisException {
    String type = data.path("resultType").asText();
    List<Result> out = new ArrayList<>();
    switch (type) {
      case "vector" -> {
        for (JsonNode item : data.path("result")) {
          Map<String, String> labels = new LinkedHashMap<>();
          item.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
          out.add(new Result(labels, value(item.path("value"))));
        }
      }
      case "scalar" -> out.add(new Result(Map.of(), value(data.path("result"))));
      default -> throw new AnalysisException(ID, "the query yields a " + (type.isEmpty() ? "no result" : type)
          + ", not a number per series: " + promql, "write an instant query, e.g. `sum(rate(x[{{window}}]))`");
    }
    return out;
  }

  /** {@code [1712345678.123, "42"]}: the value is a string, so that NaN and ±Inf survive JSON. */
  private static double value(JsonNode pair) {
    try {
      return PrometheusText.number(pair.path(1).asText());
    } catch (IllegalArgumentException e) {
      return Double.NaN; // not a number: "no data" to the judge, which never passes on it
    }
  }
}
