package dev.slipway.examples.orders;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code orders} table (created by Flyway, see {@code db/migration}). */
@Repository
public class OrderRepository {

  private static final String COLUMNS = "id, item, quantity, created_at";
  private final JdbcClient jdbc;

  OrderRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Order insert(String item, int quantity) {
    return jdbc.sql("INSERT INTO orders (item, quantity) VALUES (:item, :quantity) RETURNING " + COLUMNS)
        .param("item", item)
        .param("quantity", quantity)
        .query(Order.class)
        .single();
  }

  Optional<Order> find(long id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE id = :id").param("id", id).query(Order.class).optional();
  }

  List<Order> latest(int limit) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM orders ORDER BY id DESC LIMIT :limit")
        .param("limit", limit)
        .query(Order.class)
        .list();
  }
}
