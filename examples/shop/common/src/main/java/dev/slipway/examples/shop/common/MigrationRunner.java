package dev.slipway.examples.shop.common;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Applies the SQL scripts {@code db/migration/V<n>__<description>.sql} found on the classpath
 * to PostgreSQL, in version order, each in its own transaction, recording applied versions in
 * {@code schema_migrations(version, applied_at)}.
 *
 * <p>Several instances start at once during a rolling or canary release; a session-level
 * {@code pg_advisory_lock} makes them take turns, so each script runs exactly once.
 */
public final class MigrationRunner {

  private static final String LOCATION = "db/migration";
  private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
  // Any constant works; it only has to be the same in every instance of the application.
  private static final long LOCK_KEY = 0x5_1199_4A7L;

  private final ConnectionPool pool;

  /** A runner applying migrations through the given pool. */
  public MigrationRunner(ConnectionPool pool) {
    this.pool = pool;
  }

  /** One script. */
  private record Migration(int version, String description, String resource) {}

  /**
   * Applies every migration not applied yet.
   *
   * @throws SQLException when the database is unreachable or a script fails (its transaction is
   *     rolled back, so a fixed script can simply be rerun)
   * @throws IOException when the scripts cannot be read
   */
  public void migrate() throws SQLException, IOException {
    List<Migration> migrations = find();
    pool.withConnection(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
        try {
          statement.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
              + "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
          Set<Integer> applied = applied(statement);
          int pending = 0;
          for (Migration migration : migrations) {
            if (!applied.contains(migration.version())) {
              apply(connection, migration);
              pending++;
            }
          }
          if (pending == 0) {
            Log.info("migrations: schema up to date (" + migrations.size() + " applied)");
          }
        } finally {
          statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
        }
      }
      return null;
    });
  }

  private static Set<Integer> applied(Statement statement) throws SQLException {
    Set<Integer> versions = new HashSet<>();
    try (ResultSet rows = statement.executeQuery("SELECT version FROM schema_migrations")) {
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
    }
    return versions;
  }

  private static void apply(Connection connection, Migration migration) throws SQLException {
    String sql;
    try {
      sql = read(migration.resource());
    } catch (IOException e) {
      throw new SQLException("cannot read " + migration.resource(), e);
    }
    long start = System.nanoTime();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement();
        PreparedStatement record = connection.prepareStatement(
            "INSERT INTO schema_migrations (version) VALUES (?)")) {
      statement.execute(sql); // the driver runs a multi-statement script as is
      record.setInt(1, migration.version());
      record.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw new SQLException("migration V" + migration.version() + " failed: " + e.getMessage(),
          e.getSQLState(), e);
    } finally {
      connection.setAutoCommit(true);
    }
    Log.info("migrations: applied V" + migration.version() + " " + migration.description()
        + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  /** Lists the scripts, from the jar the service runs from or from a classes directory. */
  private static List<Migration> find() throws IOException {
    URL url = MigrationRunner.class.getClassLoader().getResource(LOCATION);
    List<String> names = new ArrayList<>();
    if (url == null) {
      throw new IOException("no " + LOCATION + " on the classpath");
    } else if (url.getProtocol().equals("jar")) {
      JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (name.startsWith(LOCATION + "/")) {
          names.add(name.substring(LOCATION.length() + 1));
        }
      }
    } else {
      try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
        files.forEach(file -> names.add(file.getFileName().toString()));
      } catch (URISyntaxException e) {
        throw new IOException("cannot list " + url, e);
      }
    }
    List<Migration> migrations = new ArrayList<>();
    for (String name : names) {
      Matcher m = NAME.matcher(name);
      if (m.matches()) {
        migrations.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), LOCATION + "/" + name));
      }
    }
    migrations.sort(Comparator.comparingInt(Migration::version));
    return migrations;
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = MigrationRunner.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
