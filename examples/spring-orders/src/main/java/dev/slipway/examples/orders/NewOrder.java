package dev.slipway.examples.orders;

import java.util.ArrayList;
import java.util.List;

/** The body of {@code POST /orders}. */
public record NewOrder(String item, Integer quantity) {

  static final int MAX_ITEM_LENGTH = 100;
  static final int MAX_QUANTITY = 1000;

  /** What is wrong with this order, one sentence per problem; empty when it can be stored. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (item == null || item.isBlank()) {
      problems.add("item is required");
    } else if (item.length() > MAX_ITEM_LENGTH) {
      problems.add("item is longer than " + MAX_ITEM_LENGTH + " characters");
    }
    if (quantity == null) {
      problems.add("quantity is required");
    } else if (quantity < 1 || quantity > MAX_QUANTITY) {
      problems.add("quantity must be between 1 and " + MAX_QUANTITY);
    }
    return problems;
  }
}
