package dev.slipway.store.audit;

import dev.slipway.api.team.AuditChain;
import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.store.StoreDatabase;
import dev.slipway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The audit trail in PostgreSQL ({@code audit_entries}, {@code audit_head}, {@code audit_checkpoints}
 * of {@code db/team/V2__audit.sql}). Every append locks the single {@code audit_head} row until its
 * transaction ends, so appends from any number of threads and processes form one chain with no gap
 * and no fork. The server opens it over its {@link StoreDatabase} (the same one its team store uses);
 * a {@link DataSource} serves tools and tests.
 */
public final class JdbcAuditLog implements AuditLog {
  static final int QUERY_TIMEOUT_SECONDS = 10;
  private static final String COLUMNS = "seq, at, actor, action, environment, service, before_release, after_release,"
      + " before_digest, after_digest, reason, details, prev_hash, hash";

  private final Transactions transactions;
  private final Clock clock;

  /**
   * A log over the team database {@code db}, on its one connection (so appends of this process queue
   * on its lock and never need a connection of their own), stamping entries with the system clock.
   * Inside a transaction of {@code db}, use {@link #append(Connection, NewAuditEntry)} with its
   * connection: {@link #append(NewAuditEntry)} there would run on the same connection and commit the
   * caller's work half-way.
   */
  public JdbcAuditLog(StoreDatabase db) {
    this(db, Clock.systemUTC());
  }

  /** As {@link #JdbcAuditLog(StoreDatabase)}, stamping entries with {@code clock}. */
  public JdbcAuditLog(StoreDatabase db, Clock clock) {
    Objects.requireNonNull(db, "db");
    this.transactions = new Transactions() {
      @Override
      public <T> T run(String operation, boolean writes, StoreDatabase.Work<T> work) throws StoreException {
        return writes ? db.write(operation, work) : db.read(operation, work);
      }
    };
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A log over the team database in {@code dataSource}; each call borrows a connection of its own and
   * closes it (give it a pooling data source where that matters). Stamps entries with the system clock.
   */
  public JdbcAuditLog(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  /** As {@link #JdbcAuditLog(DataSource)}, stamping entries with {@code clock}. */
  public JdbcAuditLog(DataSource dataSource, Clock clock) {
    Objects.requireNonNull(dataSource, "dataSource");
    this.transactions = new Transactions() {
      @Override
      public <T> T run(String operation, boolean writes, StoreDatabase.Work<T> work) throws StoreException {
        return inTransaction(dataSource, operation, work);
      }
    };
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public AuditEntryView append(NewAuditEntry entry) throws StoreException {
    return transactions.run("append to the audit trail", true, c -> append(c, entry));
  }

  @Override
  public AuditEntryView append(Connection connection, NewAuditEntry entry) throws SQLException {
    Objects.requireNonNull(entry, "entry");
    if (connection.getAutoCommit()) {
      throw new IllegalStateException("append(connection, entry) joins the caller's transaction; turn auto-commit off");
    }
    Head head = lockHead(connection);
    AuditEntryView unhashed = new AuditEntryView(head.seq + 1, AuditChain.stamp(clock.instant()), entry.actor(),
        entry.action(), entry.environment(), entry.service(), entry.beforeRelease(), entry.afterRelease(),
        entry.beforeDigest(), entry.afterDigest(), entry.reason(), entry.detailsJson(), head.hash, null);
    AuditEntryView stored = withHash(unhashed, AuditChain.hash(head.hash, unhashed));
    try (PreparedStatement s = prepare(connection, "INSERT INTO audit_entries (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setLong(1, stored.seq());
      s.setObject(2, OffsetDateTime.ofInstant(stored.at(), ZoneOffset.UTC));
      String[] texts = {stored.actor(), stored.action(), stored.environment(), stored.service(), stored.beforeRelease(),
          stored.afterRelease(), stored.beforeDigest(), stored.afterDigest(), stored.reason(), stored.details(),
          stored.prevHash(), stored.hash()};
      for (int i = 0; i < texts.length; i++) {
        s.setString(3 + i, texts[i]);
      }
      s.executeUpdate();
    }
    try (PreparedStatement s = prepare(connection, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
      s.setLong(1, stored.seq());
      s.setString(2, stored.hash());
      s.executeUpdate();
    }
    return stored;
  }

  @Override
  public List<AuditEntryView> list(String environment, Instant since, long afterSeq, int limit) throws StoreException {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, not " + limit);
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_entries WHERE seq > ?");
    if (environment != null) {
      sql.append(" AND environment = ?");
    }
    if (since != null) {
      sql.append(" AND at >= ?");
    }
    sql.append(" ORDER BY seq LIMIT ?");
    return transactions.run("list the audit trail", false, c -> {
      try (PreparedStatement s = prepare(c, sql.toString())) {
        int i = 1;
        s.setLong(i++, afterSeq);
        if (environment != null) {
          s.setString(i++, environment);
        }
        if (since != null) {
          s.setObject(i++, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
        }
        s.setInt(i, limit);
        try (ResultSet rs = s.executeQuery()) {
          List<AuditEntryView> entries = new ArrayList<>();
          while (rs.next()) {
            entries.add(entry(rs));
          }
          return entries;
        }
      }
    });
  }

  @Override
  public long count() throws StoreException {
    return transactions.run("count the audit trail", false, c -> {
      try (PreparedStatement s = prepare(c, "SELECT seq FROM audit_head WHERE id = 1"); ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  @Override
  public Optional<AuditEntryView> head() throws StoreException {
    return transactions.run("read the audit trail's head", false, c -> {
      try (PreparedStatement s = prepare(c, "SELECT " + COLUMNS + " FROM audit_entries ORDER BY seq DESC LIMIT 1");
           ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    });
  }

  @Override
  public CheckpointView checkpoint(AuditSigner signer) throws StoreException {
    Objects.requireNonNull(signer, "signer");
    return transactions.run("sign an audit checkpoint", true, c -> {
      // Holding the head keeps appends out while the trail is checked and signed.
      Head head = lockHead(c);
      Optional<CheckpointView> previous = latest(c);
      CheckpointLinks.check(c, previous.orElse(null), head.seq, head.hash);
      CheckpointView checkpoint = signer.sign(head.seq, head.hash, clock.instant());
      try (PreparedStatement s = prepare(c, "INSERT INTO audit_checkpoints (count, head_hash, at, public_key, signature)"
          + " VALUES (?, ?, ?, ?, ?)")) {
        s.setLong(1, checkpoint.count());
        s.setString(2, checkpoint.headHash());
        s.setObject(3, OffsetDateTime.ofInstant(checkpoint.at(), ZoneOffset.UTC));
        s.setString(4, checkpoint.publicKey());
        s.setString(5, checkpoint.signature());
        s.executeUpdate();
      }
      return checkpoint;
    });
  }

  @Override
  public Optional<CheckpointView> latestCheckpoint() throws StoreException {
    return transactions.run("read the latest audit checkpoint", false, JdbcAuditLog::latest);
  }

  @Override
  public List<CheckpointView> checkpoints() throws StoreException {
    return transactions.run("list the audit checkpoints", false, c -> {
      try (PreparedStatement s = prepare(c, "SELECT count, head_hash, at, public_key, signature FROM audit_checkpoints"
          + " ORDER BY id"); ResultSet rs = s.executeQuery()) {
        List<CheckpointView> all = new ArrayList<>();
        while (rs.next()) {
          all.add(checkpoint(rs));
        }
        return all;
      }
    });
  }

  private static Optional<CheckpointView> latest(Connection c) throws SQLException {
    try (PreparedStatement s = prepare(c, "SELECT count, head_hash, at, public_key, signature FROM audit_checkpoints"
        + " ORDER BY id DESC LIMIT 1"); ResultSet rs = s.executeQuery()) {
      return rs.next() ? Optional.of(checkpoint(rs)) : Optional.empty();
    }
  }

  private record Head(long seq, String hash) {}

  private static Head lockHead(Connection c) throws SQLException {
    try (PreparedStatement s = prepare(c, "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
         ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the audit trail's head row is missing (was db/team/V2__audit.sql applied,"
            + " or was the row deleted?)", "55000");
      }
      return new Head(rs.getLong(1), rs.getString(2));
    }
  }

  static PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
    return s;
  }

  static AuditEntryView entry(ResultSet rs) throws SQLException {
    return new AuditEntryView(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
        rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14));
  }

  private static CheckpointView checkpoint(ResultSet rs) throws SQLException {
    return new CheckpointView(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
        rs.getString(4), rs.getString(5));
  }

  static AuditEntryView withHash(AuditEntryView e, String hash) {
    return new AuditEntryView(e.seq(), e.at(), e.actor(), e.action(), e.environment(), e.service(), e.beforeRelease(),
        e.afterRelease(), e.beforeDigest(), e.afterDigest(), e.reason(), e.details(), e.prevHash(), hash);
  }

  /** Where a call's transaction comes from: the store's one connection, or a data source. */
  private interface Transactions {
    <T> T run(String operation, boolean writes, StoreDatabase.Work<T> work) throws StoreException;
  }

  private static <T> T inTransaction(DataSource dataSource, String operation, StoreDatabase.Work<T> work)
      throws StoreException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | StoreException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException again) {
          e.addSuppressed(again);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw AuditSqlErrors.translate(operation, e);
    }
  }
}
