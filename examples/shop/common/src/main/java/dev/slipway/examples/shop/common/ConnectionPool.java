package dev.slipway.examples.shop.common;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small fixed-size JDBC connection pool: at most {@code size} connections, opened on demand,
 * validated when they have been idle a while, and dropped after connection-level errors.
 *
 * <p>Written here instead of using HikariCP because the example may depend on nothing but the
 * PostgreSQL driver, and a handful of connections needs little more than a semaphore and a stack.
 */
public final class ConnectionPool implements AutoCloseable {

  /** Work done with a borrowed connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    /** Uses the connection; must not close it. */
    T apply(Connection connection) throws SQLException;
  }

  private static final long VALIDATE_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long BORROW_TIMEOUT_MILLIS = 5_000;

  private final DbConfig config;
  private final Properties properties;
  private final Semaphore permits;
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<Idle> idle = new ArrayDeque<>();
  private volatile boolean closed;

  private record Idle(Connection connection, long since) {}

  /**
   * A pool; no connection is opened until the first borrow.
   *
   * @param applicationName shown in {@code pg_stat_activity}, to tell the services apart
   */
  public ConnectionPool(DbConfig config, int size, String applicationName) {
    this.config = config;
    this.permits = new Semaphore(size, true);
    this.properties = new Properties();
    if (config.user() != null) {
      properties.setProperty("user", config.user());
    }
    if (config.password() != null) {
      properties.setProperty("password", config.password());
    }
    // Driver defaults wait far too long for a health check or a start-up retry loop; parameters
    // in the URL still win over these.
    properties.setProperty("ApplicationName", applicationName);
    properties.setProperty("connectTimeout", "3");
    properties.setProperty("loginTimeout", "5");
    properties.setProperty("socketTimeout", "30");
  }

  /** Runs {@code work} with a pooled connection and returns its result. */
  public <T> T withConnection(SqlWork<T> work) throws SQLException {
    acquirePermit();
    Connection connection = null;
    boolean healthy = false;
    try {
      connection = borrow();
      T result = work.apply(connection);
      healthy = true;
      return result;
    } catch (SQLException e) {
      healthy = !isConnectionError(e);
      throw e;
    } finally {
      if (connection != null) {
        giveBack(connection, healthy);
      }
      permits.release();
    }
  }

  /** Checks that the database answers a trivial query within two seconds. */
  public void check() throws SQLException {
    withConnection(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.setQueryTimeout(2);
        statement.execute("SELECT 1");
        return null;
      }
    });
  }

  /** Closes the idle connections; connections in use are closed when given back. */
  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      for (Idle entry : idle) {
        closeQuietly(entry.connection());
      }
      idle.clear();
    } finally {
      lock.unlock();
    }
  }

  private void acquirePermit() throws SQLException {
    try {
      if (!permits.tryAcquire(BORROW_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new SQLTransientConnectionException("no free database connection within "
            + BORROW_TIMEOUT_MILLIS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted waiting for a database connection");
    }
  }

  private Connection borrow() throws SQLException {
    if (closed) {
      throw new SQLTransientConnectionException("connection pool is closed");
    }
    while (true) {
      Idle entry;
      lock.lock();
      try {
        entry = idle.pollFirst();
      } finally {
        lock.unlock();
      }
      if (entry == null) {
        return DriverManager.getConnection(config.jdbcUrl(), properties);
      }
      // A connection idle for a while may have been cut (database restarted): check it first.
      boolean fresh = System.nanoTime() - entry.since() < VALIDATE_AFTER_IDLE_NANOS;
      if (fresh || entry.connection().isValid(2)) {
        return entry.connection();
      }
      closeQuietly(entry.connection());
    }
  }

  private void giveBack(Connection connection, boolean healthy) {
    try {
      // Leave no transaction behind for the next borrower.
      if (healthy && !connection.getAutoCommit()) {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      healthy = false;
    }
    if (!healthy || closed) {
      closeQuietly(connection);
      return;
    }
    lock.lock();
    try {
      idle.addFirst(new Idle(connection, System.nanoTime()));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether the error means the connection itself is unusable: SQL states of class 08
   * (connection exception) and 57P (operator intervention, e.g. the server shutting down), or
   * none at all (I/O failures inside the driver).
   */
  public static boolean isConnectionError(SQLException e) {
    String state = e.getSQLState();
    return state == null || state.startsWith("08") || state.startsWith("57P");
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // discarding it anyway
    }
  }
}
