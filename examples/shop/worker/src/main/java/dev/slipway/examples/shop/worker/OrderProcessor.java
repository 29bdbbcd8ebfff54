package dev.slipway.examples.shop.worker;

import dev.slipway.examples.shop.common.Backoff;
import dev.slipway.examples.shop.common.Log;
import dev.slipway.examples.shop.common.RedisClient;
import dev.slipway.examples.shop.common.Stores;
import java.io.IOException;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The worker's loop, on its own thread: pop a new order id from Redis, mark the order processed,
 * repeat; every few seconds, also sweep up orders whose push was lost. Failures (Redis or
 * PostgreSQL down, the api not having created the table yet) are logged once and retried with
 * back-off until they clear.
 */
public final class OrderProcessor implements Runnable, AutoCloseable {

  /** A short BRPOP wait keeps the loop responsive to sweeps and shutdown. */
  private static final int POP_WAIT_SECONDS = 1;
  private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final String UNDEFINED_TABLE = "42P01";

  private final OrderUpdates orders;
  private final RedisClient queue;
  private final Thread thread = new Thread(this, "order-processor");
  private volatile boolean running = true;
  private String lastProblem;

  /**
   * A processor popping from {@code queue}, which must be a connection of its own: BRPOP holds it
   * for up to a second at a time.
   */
  public OrderProcessor(OrderUpdates orders, RedisClient queue) {
    this.orders = orders;
    this.queue = queue;
  }

  /** Starts the loop. */
  public void start() {
    thread.start();
  }

  @Override
  public void run() {
    // Capped at a second, like the BRPOP wait: resume soon after Redis or PostgreSQL is back.
    Backoff backoff = new Backoff(100, 1_000);
    long nextSweep = System.nanoTime();
    String popped = null; // kept across failures so a popped id is not dropped
    while (running) {
      try {
        if (System.nanoTime() - nextSweep >= 0) {
          sweep();
          nextSweep = System.nanoTime() + SWEEP_INTERVAL_NANOS;
        }
        if (popped == null) {
          popped = queue.brpop(Stores.NEW_ORDERS_QUEUE, POP_WAIT_SECONDS);
        }
        if (popped != null) {
          process(popped);
          popped = null;
        }
        recovered(backoff);
      } catch (Exception e) {
        if (!running) {
          break; // close() cut the Redis connection
        }
        problem(e);
        try {
          backoff.pause();
        } catch (InterruptedException interrupted) {
          break;
        }
      }
    }
  }

  /** Stops the loop, cutting a BRPOP short, and waits for the current order to finish. */
  @Override
  public void close() {
    running = false;
    queue.close();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void process(String id) throws SQLException {
    long orderId;
    try {
      orderId = Long.parseLong(id);
    } catch (NumberFormatException e) {
      Log.warn("ignoring queue entry that is not an order id: " + id);
      return;
    }
    OptionalLong latency = orders.process(orderId);
    if (latency.isPresent()) {
      Log.info("order " + orderId + " processed " + latency.getAsLong() + " ms after it was placed");
    } else {
      Log.info("order " + orderId + " skipped: not found or already processed");
    }
  }

  private void sweep() throws SQLException {
    int swept = orders.sweep();
    if (swept > 0) {
      Log.info("sweep processed " + swept + " order(s) that missed their push");
    }
  }

  /** Logs a problem when it differs from the last one, so a long outage logs one line. */
  private void problem(Exception e) {
    String text;
    if (e instanceof SQLException) {
      text = UNDEFINED_TABLE.equals(((SQLException) e).getSQLState())
          ? "orders table does not exist yet (api not migrated?); waiting"
          : "database: " + Log.describe(e);
    } else if (e instanceof IOException) {
      text = "redis: " + Log.describe(e);
    } else {
      text = Log.describe(e);
    }
    if (!text.equals(lastProblem)) {
      Log.warn(text);
      lastProblem = text;
    }
  }

  private void recovered(Backoff backoff) {
    if (lastProblem != null) {
      Log.info("recovered");
      lastProblem = null;
    }
    backoff.reset();
  }
}
