package dev.slipway.examples.orders;

import java.time.OffsetDateTime;

/** One row of the {@code orders} table, as the API returns it. */
public record Order(long id, String item, int quantity, OffsetDateTime createdAt) {}
