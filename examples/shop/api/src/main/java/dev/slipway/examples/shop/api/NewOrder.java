package dev.slipway.examples.shop.api;

import dev.slipway.examples.shop.common.Json;
import java.util.Map;

/**
 * A validated request to place an order, parsed from {@code {"item":"book","quantity":2}}.
 *
 * @param item what is ordered, non-blank, at most {@link #MAX_ITEM_LENGTH} characters
 * @param quantity how many, a positive int
 */
public record NewOrder(String item, int quantity) {

  /** Longer item names are refused rather than stored. */
  public static final int MAX_ITEM_LENGTH = 200;

  /**
   * Parses and validates a request body.
   *
   * @throws IllegalArgumentException with a message fit for the client when the body is not
   *     valid JSON or the order is invalid
   */
  public static NewOrder parse(String body) {
    Map<String, Object> json;
    try {
      json = Json.parseObject(body);
    } catch (Json.JsonException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getMessage());
    }
    Object item = json.get("item");
    if (!(item instanceof String) || ((String) item).isBlank()) {
      throw new IllegalArgumentException("item is required and must be a non-empty string");
    }
    String name = ((String) item).trim();
    if (name.length() > MAX_ITEM_LENGTH) {
      throw new IllegalArgumentException("item must be at most " + MAX_ITEM_LENGTH + " characters");
    }
    Object quantity = json.get("quantity");
    // Json gives integers as Long; 2.0, "2" and values beyond int are refused.
    if (!(quantity instanceof Long) || (Long) quantity < 1 || (Long) quantity > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("quantity is required and must be a positive integer");
    }
    return new NewOrder(name, ((Long) quantity).intValue());
  }
}
