package dev.slipway.examples.shop.common;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response built by a handler: status, content type, body and extra headers.
 *
 * @param status the status code
 * @param contentType the Content-Type, or null when there is no body
 * @param body the body, possibly empty
 * @param headers further headers
 */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

  private static final String JSON = "application/json";

  /** A JSON response: {@code value} is encoded with {@link Json#encode}. */
  public static Response json(int status, Object value) {
    return raw(status, JSON, Json.encode(value).getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON error response: {@code {"error":"<message>"}}. */
  public static Response error(int status, String message) {
    return json(status, Json.object("error", message));
  }

  /** An HTML page. */
  public static Response html(String page) {
    return raw(200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
  }

  /** A response with the given body bytes, e.g. passed through from another service. */
  public static Response raw(int status, String contentType, byte[] body) {
    return new Response(status, contentType, body, Map.of());
  }

  /** This response with one more header. */
  public Response withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Response(status, contentType, body, more);
  }
}
