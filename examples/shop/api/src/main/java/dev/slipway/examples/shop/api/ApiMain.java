package dev.slipway.examples.shop.api;

import dev.slipway.examples.shop.common.Backoff;
import dev.slipway.examples.shop.common.ConnectionPool;
import dev.slipway.examples.shop.common.HttpApp;
import dev.slipway.examples.shop.common.Log;
import dev.slipway.examples.shop.common.MigrationRunner;
import dev.slipway.examples.shop.common.Stores;
import java.sql.SQLException;

/**
 * The order api: {@code POST /orders}, {@code GET /orders/{id}}, {@code GET /orders}, backed by
 * PostgreSQL, announcing new orders on a Redis list for the worker.
 */
public final class ApiMain {

  /** How long to wait for the database at start before giving up with a non-zero exit. */
  private static final long DATABASE_WAIT_MILLIS = 30_000;

  private ApiMain() {}

  /** Starts the api; configuration comes from the environment (see README.md). */
  public static void main(String[] args) {
    HttpApp.run("api", app -> {
      Stores stores = Stores.open(app);
      new OrderRoutes(new Orders(stores.database()), stores.redis()).register(app);
      // Listen first, so liveness answers and readiness says "starting" while migrations run.
      app.listen();
      migrate(new MigrationRunner(stores.database()));
    });
  }

  /** Runs the migrations, retrying while the database is unreachable (it may still be starting). */
  private static void migrate(MigrationRunner migrations) throws Exception {
    long deadline = System.currentTimeMillis() + DATABASE_WAIT_MILLIS;
    Backoff backoff = new Backoff(100, 2_000);
    while (true) {
      try {
        migrations.migrate();
        return;
      } catch (SQLException e) {
        // A failing script fails again: only an unreachable (or still starting) database is
        // worth waiting for.
        if (!ConnectionPool.isConnectionError(e)) {
          throw e;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new SQLException("database still unreachable after " + DATABASE_WAIT_MILLIS / 1000
              + " s: " + e.getMessage(), e.getSQLState(), e);
        }
        if (!backoff.isBackingOff()) {
          Log.warn("database not reachable yet, retrying: " + Log.describe(e));
        }
        backoff.pause();
      }
    }
  }
}
