package dev.slipway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection, guarded by a lock, every call a transaction of its own. The store's load is a
 * handful of small transactions a second, so a pool would add only failure modes. A PostgreSQL
 * connection that went away is replaced on the next call; reads are retried once on a new one.
 */
final class Database implements AutoCloseable {
  static final int QUERY_TIMEOUT_SECONDS = 10;
  /** Long enough for a few statements that each hit their timeout; then the caller hears why. */
  private static final long LOCK_WAIT_SECONDS = 30;
  private static final long VALIDATE_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int VALIDATE_TIMEOUT_SECONDS = 2;

  /** The body of a transaction; it must not commit or roll back. */
  interface Work<T> {
    T run(Connection connection) throws SQLException, StoreException;
  }

  private final StoreLocation location;
  private final DriverSource source;
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection;
  private long lastUsed;
  private boolean closed;

  Database(StoreLocation location) {
    this.location = location;
    this.source = new DriverSource(location);
  }

  StoreLocation location() {
    return location;
  }

  DriverSource source() {
    return source;
  }

  /** Connects now, so that opening the store fails at once when the database cannot be had. */
  void connect(String operation) throws StoreException {
    acquire(operation);
    try {
      connection(operation);
    } finally {
      lock.unlock();
    }
  }

  /** Runs a transaction that only reads; retried once if the connection turns out to be gone. */
  <T> T read(String operation, Work<T> work) throws StoreException {
    return run(operation, true, work);
  }

  /**
   * Runs a transaction that writes. Never retried after a lost connection: the commit may have
   * happened, and the caller must decide.
   */
  <T> T write(String operation, Work<T> work) throws StoreException {
    return run(operation, false, work);
  }

  static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
    return statement;
  }

  static PreparedStatement prepareInsert(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
    return statement;
  }

  private <T> T run(String operation, boolean retryOnLostConnection, Work<T> work) throws StoreException {
    acquire(operation);
    try {
      for (int attempt = 1; ; attempt++) {
        Connection c = connection(operation);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException e) {
          rollback(c, e);
          if (SqlErrors.connectionLost(e)) {
            drop(e);
            if (retryOnLostConnection && attempt == 1) {
              continue;
            }
          }
          throw SqlErrors.translate(location, operation, e);
        } catch (StoreException | RuntimeException e) {
          rollback(c, e);
          throw e;
        } finally {
          lastUsed = System.nanoTime();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void acquire(String operation) throws StoreException {
    try {
      if (!lock.tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new StoreException(operation, "the state store at " + location.display() + " stayed busy for "
            + LOCK_WAIT_SECONDS + " s", "is the database overloaded?");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(operation, "interrupted while waiting for the state store", null, e);
    }
  }

  private Connection connection(String operation) throws StoreException {
    if (closed) {
      throw new StoreException(operation, "the state store at " + location.display() + " is closed", null);
    }
    if (connection != null && location.kind() == StoreLocation.Kind.POSTGRESQL
        && System.nanoTime() - lastUsed > VALIDATE_AFTER_IDLE_NANOS && !valid(connection)) {
      drop(null);
    }
    if (connection == null) {
      try {
        Connection c = source.getConnection();
        try {
          c.setAutoCommit(false);
          c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        } catch (SQLException e) {
          closeAfter(c, e);
          throw e;
        }
        connection = c;
      } catch (SQLException e) {
        throw SqlErrors.cannotOpen(location, operation, e);
      }
    }
    return connection;
  }

  private static boolean valid(Connection c) {
    try {
      return c.isValid(VALIDATE_TIMEOUT_SECONDS);
    } catch (SQLException e) {
      return false; // only thrown for a negative timeout; an unusable connection is all it could mean
    }
  }

  private static void rollback(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** Forgets the connection; closing it may fail too, which is then recorded on the cause. */
  private void drop(Exception cause) {
    Connection c = connection;
    connection = null;
    if (c != null) {
      closeAfter(c, cause);
    }
  }

  private static void closeAfter(Connection c, Exception cause) {
    try {
      c.close();
    } catch (SQLException e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
    }
  }

  /** Closes the connection (with H2, the database with it); waits for a running call to finish. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (connection != null) {
        Connection c = connection;
        connection = null;
        c.close();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(SqlErrors.translate(location, "close the state store", e));
    } finally {
      lock.unlock();
    }
  }
}
