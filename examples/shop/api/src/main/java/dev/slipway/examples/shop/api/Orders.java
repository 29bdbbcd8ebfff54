package dev.slipway.examples.shop.api;

import dev.slipway.examples.shop.common.ConnectionPool;
import dev.slipway.examples.shop.common.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code orders} table: the api's only state. Orders come back as JSON-ready maps. */
public final class Orders {

  private static final String COLUMNS = "id, item, quantity, status, created_at, processed_at";

  private final ConnectionPool pool;

  /** Orders stored through the given pool. */
  public Orders(ConnectionPool pool) {
    this.pool = pool;
  }

  /** Stores a new order (status PLACED) and returns its id. */
  public long insert(NewOrder order) throws SQLException {
    return pool.withConnection(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO orders (item, quantity) VALUES (?, ?) RETURNING id")) {
        insert.setString(1, order.item());
        insert.setInt(2, order.quantity());
        try (ResultSet row = insert.executeQuery()) {
          row.next();
          return row.getLong(1);
        }
      }
    });
  }

  /** The order with this id, if any. */
  public Optional<Map<String, Object>> find(long id) throws SQLException {
    return pool.withConnection(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM orders WHERE id = ?")) {
        select.setLong(1, id);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? Optional.of(toJson(row)) : Optional.empty();
        }
      }
    });
  }

  /** The most recent orders, newest first. */
  public List<Map<String, Object>> latest(int limit) throws SQLException {
    return pool.withConnection(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM orders ORDER BY id DESC LIMIT ?")) {
        select.setInt(1, limit);
        List<Map<String, Object>> orders = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            orders.add(toJson(rows));
          }
        }
        return orders;
      }
    });
  }

  private static Map<String, Object> toJson(ResultSet row) throws SQLException {
    return Json.object(
        "id", row.getLong("id"),
        "item", row.getString("item"),
        "quantity", row.getInt("quantity"),
        "status", row.getString("status"),
        "createdAt", instant(row.getObject("created_at", OffsetDateTime.class)),
        "processedAt", instant(row.getObject("processed_at", OffsetDateTime.class)));
  }

  private static String instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }
}
