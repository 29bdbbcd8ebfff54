package dev.slipway.store;

import static dev.slipway.store.Database.prepare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Leases in the {@code leases} table, on a connection of their own. Every time is the database's
 * {@code CURRENT_TIMESTAMP}, read in the same transaction that decides on it.
 */
final class JdbcLeases implements Leases {
  private static final String COLUMNS =
      "environment, token, holder_host, holder_pid, holder_process, holder_detail, acquired_at, renewed_at, expires_at";

  private final Database db;
  private final Function<Fence, StateStore> fencedStore;

  JdbcLeases(Database db, Function<Fence, StateStore> fencedStore) {
    this.db = db;
    this.fencedStore = fencedStore;
  }

  @Override
  public Lease acquire(String environment, LeaseHolder holder, Duration ttl) throws StoreException {
    requireTtl(ttl);
    String operation = "take the lease on environment " + environment;
    boolean exclusiveFile = db.location().kind() == StoreLocation.Kind.H2;
    return db.write(operation, c -> {
      for (int attempt = 1; ; attempt++) {
        Instant now = now(c);
        Instant until = now.plus(ttl);
        Optional<Lease> stored = select(c, environment, true);
        if (stored.isEmpty()) {
          Savepoint beforeInsert = c.setSavepoint();
          try {
            insert(c, new Lease(environment, 1, holder, now, now, until));
            return new Lease(environment, 1, holder, now, now, until);
          } catch (SQLException e) {
            if (!SqlErrors.uniqueViolation(e) || attempt == 3) {
              throw e;
            }
            c.rollback(beforeInsert); // another process inserted the first lease: read it
            continue;
          }
        }
        Lease held = stored.get();
        // Only one process can open an H2 file: a lease written by another process is a dead one's.
        boolean holderGone = exclusiveFile && !held.holder().isThisProcess();
        if (held.expiresAt().isAfter(now) && !holderGone) {
          throw new LeaseHeldException(operation, held, Duration.between(now, held.expiresAt()));
        }
        Lease taken = new Lease(environment, held.token() + 1, holder, now, now, until);
        try (PreparedStatement s = prepare(c, "UPDATE leases SET token = ?, holder_host = ?, holder_pid = ?,"
            + " holder_process = ?, holder_detail = ?, acquired_at = ?, renewed_at = ?, expires_at = ?"
            + " WHERE environment = ? AND token = ?")) {
          s.setLong(1, taken.token());
          setHolder(s, 2, holder);
          Rows.setInstant(s, 6, now);
          Rows.setInstant(s, 7, now);
          Rows.setInstant(s, 8, until);
          s.setString(9, environment);
          s.setLong(10, held.token());
          if (s.executeUpdate() != 1) {
            throw new SQLException("the lease row changed while locked", "40001");
          }
        }
        return taken;
      }
    });
  }

  @Override
  public Lease renew(Lease lease, Duration ttl) throws StoreException {
    requireTtl(ttl);
    String operation = "renew the lease on environment " + lease.environment();
    return db.write(operation, c -> {
      Instant now = now(c);
      Instant until = now.plus(ttl);
      if (moveExpiry(c, lease, now, until)) {
        return lease.renewed(now, until);
      }
      throw LeaseLostException.of(operation, lease, select(c, lease.environment(), false).orElse(null), now);
    });
  }

  @Override
  public void release(Lease lease) throws StoreException {
    db.write("give up the lease on environment " + lease.environment(), c -> {
      Instant now = now(c);
      moveExpiry(c, lease, now, now);
      return null;
    });
  }

  /**
   * Sets the lease's expiry to {@code until}, renewed at {@code now}, if it is still this token's and
   * unexpired at {@code now}; whether it was.
   */
  private static boolean moveExpiry(Connection c, Lease lease, Instant now, Instant until) throws SQLException {
    try (PreparedStatement s = prepare(c, "UPDATE leases SET renewed_at = ?, expires_at = ?"
        + " WHERE environment = ? AND token = ? AND expires_at > ?")) {
      Rows.setInstant(s, 1, now);
      Rows.setInstant(s, 2, until);
      s.setString(3, lease.environment());
      s.setLong(4, lease.token());
      Rows.setInstant(s, 5, now);
      return s.executeUpdate() == 1;
    }
  }

  @Override
  public Optional<Lease> current(String environment) throws StoreException {
    return db.read("read the lease on environment " + environment, c -> {
      Instant now = now(c);
      return select(c, environment, false).filter(l -> l.expiresAt().isAfter(now));
    });
  }

  @Override
  public StateStore fenced(Lease lease) {
    return fencedStore.apply(new Fence(lease));
  }

  /**
   * Inside a write transaction of a fenced store: locks the environment's lease row until the
   * transaction ends, so that nobody can take the lease between this check and the commit, and
   * refuses the write unless the lease is still the fence's and has not expired.
   */
  static void check(Connection c, Fence fence, String environment, String operation) throws SQLException, StoreException {
    Lease mine = fence.lease;
    if (fence.closed) {
      throw new LeaseLostException(operation, mine, null, "it stopped acting on the environment");
    }
    if (!mine.environment().equals(environment)) {
      throw new StoreException(operation, "this control plane holds the lease on environment " + mine.environment()
          + ", not on " + environment, null);
    }
    Instant now = now(c);
    Lease stored = select(c, environment, true).orElse(null);
    if (stored == null || stored.token() != mine.token() || !stored.expiresAt().isAfter(now)) {
      throw LeaseLostException.of(operation, mine, stored, now);
    }
  }

  private static Optional<Lease> select(Connection c, String environment, boolean lock) throws SQLException {
    try (PreparedStatement s = prepare(c, "SELECT " + COLUMNS + " FROM leases WHERE environment = ?"
        + (lock ? " FOR UPDATE" : ""))) {
      s.setString(1, environment);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        LeaseHolder holder = new LeaseHolder(rs.getString("holder_host"), rs.getLong("holder_pid"),
            rs.getString("holder_process"), rs.getString("holder_detail"));
        return Optional.of(new Lease(rs.getString("environment"), rs.getLong("token"), holder,
            instant(rs, "acquired_at"), instant(rs, "renewed_at"), instant(rs, "expires_at")));
      }
    }
  }

  private static void insert(Connection c, Lease l) throws SQLException {
    try (PreparedStatement s = prepare(c, "INSERT INTO leases (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, l.environment());
      s.setLong(2, l.token());
      setHolder(s, 3, l.holder());
      Rows.setInstant(s, 7, l.acquiredAt());
      Rows.setInstant(s, 8, l.renewedAt());
      Rows.setInstant(s, 9, l.expiresAt());
      s.executeUpdate();
    }
  }

  private static void setHolder(PreparedStatement s, int first, LeaseHolder h) throws SQLException {
    s.setString(first, h.host());
    s.setLong(first + 1, h.pid());
    s.setString(first + 2, h.process());
    s.setString(first + 3, h.detail());
  }

  /** The database's time: the holders' clocks need not agree, only the database decides expiry. */
  private static Instant now(Connection c) throws SQLException {
    try (PreparedStatement s = prepare(c, "SELECT CURRENT_TIMESTAMP"); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant().truncatedTo(ChronoUnit.MICROS);
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static void requireTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
  }

  /** The lease a fenced store writes under; closing the store closes the fence. */
  static final class Fence {
    final Lease lease;
    volatile boolean closed;

    Fence(Lease lease) {
      this.lease = lease;
    }
  }
}
