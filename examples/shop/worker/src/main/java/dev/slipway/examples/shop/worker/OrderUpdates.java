package dev.slipway.examples.shop.worker;

import dev.slipway.examples.shop.common.ConnectionPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * The worker's writes to the api's {@code orders} table. Both are conditional on status PLACED,
 * so processing is idempotent: an id pushed twice, or handled by two workers during a rolling
 * release, is processed once.
 */
public final class OrderUpdates {

  /** Orders still PLACED this long after creation are taken to have missed their push. */
  private static final String SWEEP_AGE = "3 seconds";

  private final ConnectionPool pool;

  /** Updates through the given pool. */
  public OrderUpdates(ConnectionPool pool) {
    this.pool = pool;
  }

  /**
   * Marks the order processed.
   *
   * @return milliseconds between placing and processing it, or empty when the order does not
   *     exist or was already processed
   */
  public OptionalLong process(long id) throws SQLException {
    return pool.withConnection(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE orders SET status = 'PROCESSED', processed_at = clock_timestamp()"
              + " WHERE id = ? AND status = 'PLACED'"
              + " RETURNING (extract(epoch FROM processed_at - created_at) * 1000)::bigint")) {
        update.setLong(1, id);
        try (ResultSet row = update.executeQuery()) {
          return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
        }
      }
    });
  }

  /** Processes orders whose push was lost (e.g. Redis was down); returns how many. */
  public int sweep() throws SQLException {
    return pool.withConnection(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE orders SET status = 'PROCESSED', processed_at = clock_timestamp()"
              + " WHERE status = 'PLACED' AND created_at < now() - interval '" + SWEEP_AGE + "'")) {
        return update.executeUpdate();
      }
    });
  }
}
