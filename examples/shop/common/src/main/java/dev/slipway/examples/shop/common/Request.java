package dev.slipway.examples.shop.common;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP request as handlers see it: fully read, so handlers are plain functions.
 *
 * @param method the method, e.g. {@code GET}
 * @param path the decoded path, without query string
 * @param pathParams values of the route's {@code {name}} segments
 * @param body the body (at most {@link HttpApp#MAX_BODY_BYTES})
 */
public record Request(String method, String path, Map<String, String> pathParams, byte[] body) {

  /** The value of a {@code {name}} segment of the matched route. */
  public String pathParam(String name) {
    return pathParams.get(name);
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
