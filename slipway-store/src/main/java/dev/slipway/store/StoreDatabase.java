package dev.slipway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A PostgreSQL database opened for a store other than the {@link StateStore} (the team server's),
 * with the state store's handling: credentials kept out of the URL and out of every message,
 * timeouts on every connection and statement, one connection whose calls are transactions of their
 * own, a lost connection replaced on the next call, and errors that say what to do.
 *
 * <pre>{@code
 * try (StoreDatabase db = StoreDatabase.openPostgres("jdbc:postgresql://127.0.0.1:5432/team", "slipway", password)) {
 *   db.migrate("db/team", "team_schema_history", "the team store");
 *   long users = db.read("count users", c -> ...);
 * }
 * }</pre>
 */
public final class StoreDatabase implements AutoCloseable {
  /** The body of a transaction; it must not commit or roll back. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException, StoreException;
  }

  private final Database db;

  private StoreDatabase(Database db) {
    this.db = db;
  }

  /**
   * Connects to a PostgreSQL database, at once, so that a wrong URL or password fails here.
   *
   * @param jdbcUrl  {@code jdbc:postgresql://host:port/database}, perhaps with {@code ?user=…} and other parameters
   * @param user     the user, or null for the one in the URL
   * @param password the password, or null for the one in the URL (or none)
   */
  public static StoreDatabase openPostgres(String jdbcUrl, String user, String password) throws StoreException {
    if (jdbcUrl == null || !jdbcUrl.strip().startsWith("jdbc:postgresql:")) {
      throw new StoreException("open the database", "unsupported database URL "
          + (jdbcUrl == null ? "(none)" : StoreLocation.maskUrl(jdbcUrl)),
          "use a jdbc:postgresql://host:port/database URL");
    }
    StoreLocation location = StoreLocation.postgres(jdbcUrl.strip()).withCredentials(user, password);
    Database db = new Database(location);
    try {
      db.connect("open the database");
    } catch (StoreException e) {
      db.close();
      throw e;
    }
    return new StoreDatabase(db);
  }

  /**
   * Whether a PostgreSQL URL carries a password ({@code ?password=…} or {@code //user:password@host}),
   * which a command line must not: every user of the machine can read it in {@code ps}.
   */
  public static boolean urlHasPassword(String jdbcUrl) {
    return jdbcUrl != null && jdbcUrl.strip().startsWith("jdbc:postgresql:")
        && StoreLocation.postgres(jdbcUrl.strip()).password() != null;
  }

  /** The URL with any password in it masked, for messages. */
  public static String maskUrl(String jdbcUrl) {
    return StoreLocation.maskUrl(jdbcUrl);
  }

  /**
   * Applies the Flyway scripts in a class path folder, with their own history table so that
   * several sets of scripts can share one database. A schema newer than the scripts is refused.
   *
   * @param what the store, for messages: "the team store"
   */
  public void migrate(String location, String historyTable, String what) throws StoreException {
    FlywayMigrator.migrate(db, location, historyTable, what);
  }

  /** Runs a transaction that only reads; retried once if the connection turns out to be gone. */
  public <T> T read(String operation, Work<T> work) throws StoreException {
    return db.read(operation, work::run);
  }

  /**
   * Runs a transaction that writes: committed when {@code work} returns, rolled back when it throws.
   * Never retried after a lost connection, as the commit may have happened.
   */
  public <T> T write(String operation, Work<T> work) throws StoreException {
    return db.write(operation, work::run);
  }

  /**
   * Connections of their own (not the one {@link #read}/{@link #write} use), each with this
   * database's credentials and timeouts; the caller closes them.
   */
  public DataSource dataSource() {
    return db.source();
  }

  /** A statement with the store's timeout ({@value Database#QUERY_TIMEOUT_SECONDS} s), as every statement should have. */
  public static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    return Database.prepare(connection, sql);
  }

  /** As {@link #prepare}, returning generated keys. */
  public static PreparedStatement prepareInsert(Connection connection, String sql) throws SQLException {
    return Database.prepareInsert(connection, sql);
  }

  /** The database for messages: its URL with any password masked. */
  public String display() {
    return db.location().display();
  }

  /** The text with this database's password masked. */
  public String mask(String text) {
    return db.location().mask(text);
  }

  /** Closes the connection; waits for a running call to finish. */
  @Override
  public void close() {
    db.close();
  }
}
