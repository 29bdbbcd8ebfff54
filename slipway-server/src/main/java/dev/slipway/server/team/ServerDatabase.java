package dev.slipway.server.team;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.local.EmbeddedPostgres;
import dev.slipway.store.StoreDatabase;
import dev.slipway.store.StoreException;
import dev.slipway.store.audit.AuditLog;
import dev.slipway.store.team.JdbcTeamStore;
import dev.slipway.store.team.TeamMigrations;
import dev.slipway.store.team.TeamStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The team server's PostgreSQL: by default one it runs itself under {@code DATA/postgres} (the
 * embedded binaries {@code slipway up} uses; data kept across restarts, stopped with the server),
 * or the one {@code --store} names, its password from {@code --store-password-file} (0600) or
 * {@code SLIPWAY_STORE_PASSWORD}, never from the command line. Opens the {@link TeamStore} on it,
 * with the audit log built on the same database.
 *
 * <p>Errors are {@link StoreException}s: from {@link #settings} they are bad usage (exit 2), from
 * {@link #open} a database that cannot be had (exit 1).
 */
final class ServerDatabase implements AutoCloseable {
  static final String PASSWORD_VARIABLE = "SLIPWAY_STORE_PASSWORD";
  static final String EMBEDDED_DATABASE = "slipway";
  private static final Duration EMBEDDED_READY = Duration.ofSeconds(60);
  private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  /**
   * Where the store is: {@code url} null for the embedded PostgreSQL.
   *
   * @param password from the password file or the environment, or null (then the URL's user needs none)
   */
  record Settings(String url, String password) {
    static final Settings EMBEDDED = new Settings(null, null);

    boolean embedded() {
      return url == null;
    }

    @Override
    public String toString() {
      return embedded() ? "embedded" : StoreDatabase.maskUrl(url); // never the password
    }
  }

  private final EmbeddedPostgres embedded;
  private final StoreDatabase db;
  private final AuditLog auditLog;
  private final TeamStore store;
  private final String description;

  private ServerDatabase(EmbeddedPostgres embedded, StoreDatabase db, AuditLog auditLog, TeamStore store,
      String description) {
    this.embedded = embedded;
    this.db = db;
    this.auditLog = auditLog;
    this.store = store;
    this.description = description;
  }

  /**
   * Checks {@code --store}, {@code --store-password-file} and {@code SLIPWAY_STORE_PASSWORD}.
   *
   * @param storeUrl     {@code --store}, or null for the embedded PostgreSQL
   * @param passwordFile {@code --store-password-file}, or null
   * @param env          the environment ({@code System.getenv()})
   * @throws StoreException bad usage: exit 2, its message says the fix
   */
  static Settings settings(String storeUrl, Path passwordFile, Map<String, String> env) throws StoreException {
    String operation = "use the --store option";
    if (storeUrl == null || storeUrl.isBlank()) {
      if (passwordFile != null) {
        throw new StoreException(operation, "--store-password-file was given without --store",
            "add --store jdbc:postgresql://HOST:PORT/DATABASE?user=USER, or leave both out for the embedded PostgreSQL");
      }
      return Settings.EMBEDDED;
    }
    String url = storeUrl.strip();
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new StoreException(operation, "--store " + StoreDatabase.maskUrl(url) + " is not a PostgreSQL URL",
          "use --store jdbc:postgresql://HOST:PORT/DATABASE?user=USER, or leave --store out for the embedded PostgreSQL");
    }
    if (StoreDatabase.urlHasPassword(url)) {
      throw new StoreException(operation, "--store " + StoreDatabase.maskUrl(url)
          + " holds a password, which anyone on this machine can read on the command line",
          "remove it from the URL and put it in a file only you can read (chmod 600 FILE) given as"
              + " --store-password-file FILE, or in the environment variable " + PASSWORD_VARIABLE);
    }
    if (passwordFile != null) {
      return new Settings(url, readPasswordFile(passwordFile));
    }
    String fromEnv = env.get(PASSWORD_VARIABLE);
    return new Settings(url, fromEnv == null || fromEnv.isEmpty() ? null : fromEnv);
  }

  /**
   * Starts the embedded PostgreSQL (or connects to the given one), brings the team schema up to
   * date and opens the store.
   *
   * @param dataDir   the server's {@code --data}: the embedded PostgreSQL lives in {@code DATA/postgres}
   * @param auditLogs builds the audit log on the store's database (team-audit's {@code JdbcAuditLog::new})
   * @param progress  lines for the server's output (a leftover PostgreSQL stopped)
   * @throws StoreException the database cannot be had: exit 1
   */
  static ServerDatabase open(Path dataDir, Settings settings, Function<DataSource, AuditLog> auditLogs, Clock clock,
      Consumer<String> progress) throws StoreException {
    EmbeddedPostgres embedded = null;
    StoreDatabase db = null;
    try {
      String description;
      if (settings.embedded()) {
        Path dir = dataDir.resolve("postgres");
        embedded = startEmbedded(dir, progress);
        db = StoreDatabase.openPostgres(embedded.jdbcUrl(), embedded.user(), embedded.password());
        description = "embedded PostgreSQL in " + dir + " (port " + embedded.port() + ")";
      } else {
        db = StoreDatabase.openPostgres(settings.url(), null, settings.password());
        description = db.display();
      }
      TeamMigrations.migrate(db);
      AuditLog auditLog = auditLogs.apply(db.dataSource());
      return new ServerDatabase(embedded, db, auditLog, new JdbcTeamStore(db, auditLog, clock), description);
    } catch (StoreException | RuntimeException e) {
      if (db != null) {
        db.close();
      }
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  TeamStore store() {
    return store;
  }

  AuditLog auditLog() {
    return auditLog;
  }

  /** Connections of their own to the store's database, for the audit log's reads. */
  DataSource dataSource() {
    return db.dataSource();
  }

  /** Where the state lives, for the server's first lines; no password. */
  String description() {
    return description;
  }

  /** Closes the store, then stops the embedded PostgreSQL (if it runs one) and waits for it. */
  @Override
  public void close() {
    try {
      db.close();
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static EmbeddedPostgres startEmbedded(Path dir, Consumer<String> progress) throws StoreException {
    try {
      return EmbeddedPostgres.start(dir, EMBEDDED_DATABASE, EMBEDDED_READY, progress);
    } catch (TargetException e) {
      String details = e.details().isEmpty() ? "" : "\n    " + String.join("\n    ", e.details());
      throw new StoreException("start the team store", e.getMessage() + details, e.hint(), e);
    }
  }

  private static String readPasswordFile(Path file) throws StoreException {
    String operation = "read --store-password-file " + file;
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (mode.stream().anyMatch(OTHERS::contains)) {
        throw new StoreException(operation, "the password file " + file + " can be read by others (mode "
            + PosixFilePermissions.toString(mode) + ")", "make it yours alone: chmod 600 " + file);
      }
      String password = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (password.isEmpty()) {
        throw new StoreException(operation, "the password file " + file + " is empty",
            "write the database password into it");
      }
      return password;
    } catch (NoSuchFileException e) {
      throw new StoreException(operation, "there is no password file " + file,
          "check the path given to --store-password-file", e);
    } catch (IOException e) {
      throw new StoreException(operation, "cannot read the password file " + file + " (" + e + ")",
          "check the path; the file must exist and be readable by you alone (chmod 600)", e);
    }
  }
}
