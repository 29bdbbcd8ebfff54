package dev.slipway.examples.shop.web;

import dev.slipway.examples.shop.common.Log;
import dev.slipway.examples.shop.common.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;

/**
 * Forwards the page's calls to the api. Going through web (same origin as the page) spares the
 * api any CORS handling and lets the api stay off the public network.
 *
 * <p>Uses {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: building an
 * HttpClient costs 0.3-0.5 s of a cold start (it sets up a default TLS context even for plain
 * http), which alone would double web's time to ready. HttpURLConnection keeps connections
 * alive between requests, which is all a proxy to one api needs.
 */
public final class ApiProxy {

  /** Where web serves the api's paths: {@code /api/orders} forwards to the api's {@code /orders}. */
  public static final String PREFIX = "/api";

  private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
  private static final int REQUEST_TIMEOUT_MILLIS = 5_000;
  private static final int PROBE_TIMEOUT_MILLIS = 1_000;

  private final String baseUrl;

  /** A proxy to the api at {@code baseUrl}, e.g. {@code http://127.0.0.1:8080}. */
  public ApiProxy(String baseUrl) {
    URI uri = URI.create(baseUrl);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("must be an http:// or https:// URL with a host");
    }
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** The api's base URL, for logs (it carries no credentials). */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Sends a request to the api and returns its answer as is (status, type, body), plus the api's
   * version as {@code X-Api-Version}; 502 when the api cannot be reached.
   *
   * @param body a JSON body for POST, or null
   */
  public Response forward(String method, String path, byte[] body) {
    HttpURLConnection connection = null;
    try {
      connection = open(path, REQUEST_TIMEOUT_MILLIS);
      connection.setRequestMethod(method);
      if (body != null) {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      Response response = Response.raw(status, contentType(connection), readBody(connection, status));
      String version = connection.getHeaderField("X-App-Version");
      if (version != null) {
        response = response.withHeader("X-Api-Version", version);
      }
      // The api's Location (/orders/7) names the resource in the api; the page knows it under /api.
      String location = connection.getHeaderField("Location");
      if (location != null && location.startsWith("/")) {
        response = response.withHeader("Location", PREFIX + location);
      }
      return response;
    } catch (IOException e) {
      if (connection != null) {
        connection.disconnect();
      }
      Log.warn(method + " " + path + " to api failed: " + Log.describe(e));
      return Response.error(502, "api unavailable");
    }
  }

  /**
   * Readiness check: the api reports itself ready. Web without a working api can only show an
   * error, so it should not receive traffic (and a blue-green switch to it should not happen).
   */
  public void checkReady() throws IOException {
    HttpURLConnection connection = open("/health/ready", PROBE_TIMEOUT_MILLIS);
    int status = connection.getResponseCode();
    readBody(connection, status);
    if (status != 200) {
      throw new IOException("api /health/ready answered " + status);
    }
  }

  private HttpURLConnection open(String path, int readTimeoutMillis) throws IOException {
    URL url = URI.create(baseUrl + path).toURL();
    HttpURLConnection connection = (HttpURLConnection) url.openConnection();
    connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    connection.setReadTimeout(readTimeoutMillis);
    connection.setUseCaches(false);
    connection.setInstanceFollowRedirects(false); // a proxy passes redirects on
    return connection;
  }

  private static String contentType(HttpURLConnection connection) {
    String type = connection.getContentType();
    return type == null ? "application/json" : type;
  }

  /** Reads the whole body (also of error answers), which lets the connection be reused. */
  private static byte[] readBody(HttpURLConnection connection, int status) throws IOException {
    try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      return in == null ? new byte[0] : in.readAllBytes();
    }
  }
}
