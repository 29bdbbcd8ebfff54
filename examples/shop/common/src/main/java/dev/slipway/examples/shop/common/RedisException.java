package dev.slipway.examples.shop.common;

import java.io.IOException;

/**
 * Redis answered with an error reply (e.g. {@code WRONGPASS}) or something that is not RESP.
 * An {@link IOException} so that callers treat it like any other "Redis is not usable" failure.
 */
public final class RedisException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An error with Redis's own message. */
  public RedisException(String message) {
    super(message);
  }
}
