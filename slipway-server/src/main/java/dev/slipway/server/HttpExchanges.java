package dev.slipway.server;

import com.sun.net.httpserver.HttpExchange;
import dev.slipway.api.ErrorView;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What both HTTP servers on the JDK's server do to an exchange: the control plane's API and the team
 * server's. One JSON answer, one error shape ({@link ErrorView}), one 405, one query parser.
 */
public final class HttpExchanges {
  private HttpExchanges() {}

  /** Refuses any method but {@code expected} with a 405 that names it. */
  public static void requireMethod(String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new ApiError(405, "method-not-allowed", "Method not allowed",
          List.of("use " + expected + ", not " + actual));
    }
  }

  /** A raw query string's parameters, decoded; a name without {@code =} maps to "". */
  public static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  public static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Answers with the one error shape, if the answer can still be sent. */
  public static void sendError(HttpExchange ex, int status, String type, String title, List<String> details) {
    try {
      sendJson(ex, status, new ErrorView(title, status, type, details));
    } catch (IOException | RuntimeException ignored) {
      // Headers may already be sent (streaming); the client sees the connection end.
    }
  }
}
