package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on PostgreSQL (a fresh database per test, one server for the class), and what
 * only PostgreSQL can do: refuse a login, lack a database, drop a connection.
 */
class PostgresStateStoreIT extends StateStoreContract {
  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  @Override
  protected String newDatabase() throws SQLException {
    return postgres.newDatabase();
  }

  @Test
  void open_withAWrongPassword_saysTheLoginWasRefusedWithoutShowingThePassword() {
    String url = postgres.url("postgres") + "?user=postgres&password=not-the-password";

    assertThatThrownBy(() -> StateStore.open(url, stateDir))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("the state store at " + postgres.url("postgres") + "?user=postgres&password=**** refused the login"
            + " (FATAL: password authentication failed for user \"postgres\"); check the user and password in --store")
        .satisfies(e -> assertThat(OpenFailureTest.deepText(e)).doesNotContain("not-the-password"));
  }

  @Test
  void open_ofAMissingDatabase_saysToCreateIt() {
    String url = postgres.url("nothere") + "?user=postgres&password=" + PostgresServer.PASSWORD;

    assertThatThrownBy(() -> StateStore.open(url, stateDir))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageStartingWith("the state store at " + postgres.url("nothere") + "?user=postgres&password=**** has no such database")
        .hasMessageEndingWith("create it (createdb) or fix the database name in --store")
        .satisfies(e -> assertThat(OpenFailureTest.deepText(e)).doesNotContain(PostgresServer.PASSWORD));
  }

  @Test
  void open_ofADatabaseHoldingOtherTables_refusesToMigrateIt() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INTEGER)");
      c.commit();
    }

    assertThatThrownBy(() -> StateStore.open(url(), stateDir))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("the database at " + url().replace(PostgresServer.PASSWORD, "****")
            + " already holds tables that are not Slipway's;"
            + " point --store at a database of its own")
        .satisfies(e -> assertThat(OpenFailureTest.deepText(e)).doesNotContain(PostgresServer.PASSWORD));
  }

  @Test
  void calls_afterTheServerDroppedTheConnection_reconnect() throws Exception {
    StateStore store = store();
    release("prod", "api");

    dropStoreConnections();
    assertThat(store.releases("prod", "api")).as("a read is retried on a new connection").hasSize(1);

    dropStoreConnections();
    assertThatThrownBy(() -> release("prod", "api"))
        .as("a write is not retried: it may have committed")
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageStartingWith("lost the connection to the state store at ")
        .hasMessageEndingWith("check that the database is up; the next call reconnects");
    assertThat(release("prod", "api").number()).isEqualTo(2);
  }

  private void dropStoreConnections() throws SQLException {
    try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
             + " WHERE application_name = 'slipway'")) {
      assertThat(rs.next()).as("a store connection to drop").isTrue();
    }
  }
}
