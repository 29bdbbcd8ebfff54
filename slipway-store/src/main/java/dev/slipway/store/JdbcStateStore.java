package dev.slipway.store;

import static dev.slipway.store.Database.prepare;
import static dev.slipway.store.Database.prepareInsert;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The state store on H2 or PostgreSQL; the SQL here is written for both. */
final class JdbcStateStore implements StateStore {
  /**
   * How often to retry when another process won a race on a unique key (a release number, the
   * first current release of a service); each retry reads what the winner committed.
   */
  private static final int CONFLICT_RETRIES = 5;

  private final Database db;
  /** The leases' own connection: a renewal must not queue behind the store's other work. */
  private final Database leaseDb;
  private final Clock clock;
  private final JdbcLeases leases;
  /** Set on a store that writes under a lease ({@link Leases#fenced}); null on the store that was opened. */
  private final JdbcLeases.Fence fence;

  private JdbcStateStore(Database db, Database leaseDb, Clock clock, JdbcLeases.Fence fence) {
    this.db = db;
    this.leaseDb = leaseDb;
    this.clock = clock;
    this.fence = fence;
    this.leases = new JdbcLeases(leaseDb, f -> new JdbcStateStore(db, leaseDb, clock, f));
  }

  static JdbcStateStore open(StoreLocation location) throws StoreException {
    Database db = new Database(location);
    try {
      db.connect("open the state store");
      Migrations.migrate(db);
      return new JdbcStateStore(db, new Database(location), Clock.systemUTC(), null);
    } catch (StoreException | RuntimeException e) {
      try {
        db.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  @Override
  public Leases leases() {
    return leases;
  }

  @Override
  public Release createRelease(NewRelease r) throws StoreException {
    String operation = "create a release of " + r.service() + " in " + r.environment();
    return db.write(operation, c -> {
      fence(c, r.environment(), operation);
      for (int attempt = 1; ; attempt++) {
        int number;
        try (PreparedStatement s = prepare(c, "SELECT MAX(number) FROM releases WHERE environment = ? AND service = ?")) {
          s.setString(1, r.environment());
          s.setString(2, r.service());
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            number = rs.getInt(1) + 1; // MAX of no rows is NULL, read as 0
          }
        }
        Release release = new Release(r.service() + "-r" + number, r.environment(), r.service(), number, r.version(),
            r.artifactDigest(), r.configJson(), r.strategyJson(), now(), r.createdBy());
        Savepoint beforeInsert = c.setSavepoint();
        try (PreparedStatement s = prepare(c, "INSERT INTO releases (" + Rows.RELEASE_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          s.setString(1, release.id());
          s.setString(2, release.environment());
          s.setString(3, release.service());
          s.setInt(4, release.number());
          s.setString(5, release.version());
          s.setString(6, release.artifactDigest());
          s.setString(7, release.configJson());
          s.setString(8, release.strategyJson());
          Rows.setInstant(s, 9, release.createdAt());
          s.setString(10, release.createdBy());
          s.executeUpdate();
          return release;
        } catch (SQLException e) {
          if (!SqlErrors.uniqueViolation(e) || attempt == CONFLICT_RETRIES) {
            throw e;
          }
          c.rollback(beforeInsert); // another process took this number: read the highest again
        }
      }
    });
  }

  @Override
  public Optional<Release> release(String environment, String releaseId) throws StoreException {
    return db.read("read release " + releaseId + " in " + environment, c -> release(c, environment, releaseId));
  }

  @Override
  public java.util.Set<String> artifactDigests() throws StoreException {
    return db.read("list the artifact digests of every release", c -> {
      try (PreparedStatement s = prepare(c,
          "SELECT DISTINCT artifact_digest FROM releases WHERE artifact_digest IS NOT NULL")) {
        java.util.Set<String> digests = new java.util.HashSet<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            digests.add(rs.getString(1));
          }
        }
        return java.util.Set.copyOf(digests);
      }
    });
  }

  @Override
  public List<Release> releases(String environment, String service) throws StoreException {
    return db.read("list the releases of " + service + " in " + environment, c -> {
      try (PreparedStatement s = prepare(c, "SELECT " + Rows.RELEASE_COLUMNS
          + " FROM releases WHERE environment = ? AND service = ? ORDER BY number DESC")) {
        s.setString(1, environment);
        s.setString(2, service);
        List<Release> releases = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            releases.add(Rows.release(rs));
          }
        }
        return releases;
      }
    });
  }

  @Override
  public Deployment startDeployment(NewDeployment d) throws StoreException {
    String operation = "start a deployment of " + d.service() + " in " + d.environment();
    return db.write(operation, c -> {
      fence(c, d.environment(), operation);
      requireRelease(c, operation, d.environment(), d.service(), d.toRelease());
      if (d.fromRelease() != null) {
        requireRelease(c, operation, d.environment(), d.service(), d.fromRelease());
      }
      for (int attempt = 1; ; attempt++) {
        Instant now = now();
        Savepoint beforeInsert = c.setSavepoint();
        try (PreparedStatement s = prepareInsert(c, "INSERT INTO deployments (environment, service, from_release,"
            + " to_release, strategy, state, phase, step, step_state_json, started_at, updated_at, revision,"
            + " active_service) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 0, ?)")) {
          s.setString(1, d.environment());
          s.setString(2, d.service());
          s.setString(3, d.fromRelease());
          s.setString(4, d.toRelease());
          s.setString(5, d.strategy());
          s.setString(6, DeploymentState.PENDING.name());
          s.setString(7, DeploymentPhase.STARTING.name());
          s.setString(8, d.stepStateJson());
          Rows.setInstant(s, 9, now);
          Rows.setInstant(s, 10, now);
          s.setString(11, d.service());
          s.executeUpdate();
          return deployment(c, generatedId(s)).orElseThrow();
        } catch (SQLException e) {
          if (!SqlErrors.uniqueViolation(e)) {
            throw e;
          }
          // deployments_active_uq: the service has an active deployment. Name it.
          c.rollback(beforeInsert);
          Optional<Deployment> running = active(c, d.environment(), d.service());
          if (running.isPresent()) {
            throw new RolloutInProgressException(operation, running.get());
          }
          if (attempt == CONFLICT_RETRIES) {
            throw e;
          }
          // It finished between the insert and the read: the service is free now.
        }
      }
    });
  }

  @Override
  public Deployment update(Deployment d) throws StoreException {
    Objects.requireNonNull(d.state(), "state");
    String operation = "update deployment #" + d.id();
    return db.write(operation, c -> {
      Deployment stored = deployment(c, d.id())
          .orElseThrow(() -> new StoreException(operation, "there is no deployment #" + d.id(), null));
      fence(c, stored.environment(), operation);
      if (stored.revision() != d.revision()) {
        throw new StaleDeploymentException(operation, d.id(), d.revision(), stored.revision());
      }
      if (!stored.state().active() && d.state().active()) {
        throw new StoreException(operation, "deployment #" + d.id() + " has finished (" + stored.state()
            + ") and cannot become " + d.state() + " again", "start a new deployment");
      }
      Objects.requireNonNull(d.phase(), "phase");
      if (d.state().active() && d.phase() == DeploymentPhase.DONE) {
        throw new StoreException(operation, "deployment #" + d.id() + " is " + d.state() + ", so its phase cannot be "
            + DeploymentPhase.DONE, "end it with a final state instead");
      }
      // A finished deployment has nothing left to do, whatever phase it was in.
      DeploymentPhase phase = d.state().active() ? d.phase() : DeploymentPhase.DONE;
      Instant now = now();
      Instant finishedAt = d.state().active() ? null : stored.finishedAt() != null ? stored.finishedAt() : now;
      try (PreparedStatement s = prepare(c, "UPDATE deployments SET state = ?, phase = ?, step = ?, step_state_json = ?,"
          + " reason = ?, measurements_json = ?, updated_at = ?, finished_at = ?, active_service = ?,"
          + " revision = revision + 1 WHERE id = ? AND revision = ?")) {
        s.setString(1, d.state().name());
        s.setString(2, phase.name());
        s.setInt(3, d.step());
        s.setString(4, d.stepStateJson());
        s.setString(5, d.reason());
        s.setString(6, d.measurementsJson());
        Rows.setInstant(s, 7, now);
        Rows.setInstant(s, 8, finishedAt);
        // Clearing active_service is what frees the service (deployments_active_uq).
        s.setString(9, d.state().active() ? stored.service() : null);
        s.setLong(10, d.id());
        s.setLong(11, d.revision());
        if (s.executeUpdate() == 0) {
          // Another process updated it between the read and the update.
          long storedRevision = deployment(c, d.id()).map(Deployment::revision).orElse(d.revision());
          throw new StaleDeploymentException(operation, d.id(), d.revision(), storedRevision);
        }
      }
      return deployment(c, d.id()).orElseThrow();
    });
  }

  @Override
  public Optional<Deployment> deployment(long id) throws StoreException {
    return db.read("read deployment #" + id, c -> deployment(c, id));
  }

  @Override
  public Optional<Deployment> activeDeployment(String environment, String service) throws StoreException {
    return db.read("read the active deployment of " + service + " in " + environment, c -> active(c, environment, service));
  }

  @Override
  public List<Deployment> activeDeployments(String environment) throws StoreException {
    return db.read("list the active deployments in " + environment, c -> deployments(c,
        "WHERE environment = ? AND active_service IS NOT NULL ORDER BY service", environment));
  }

  @Override
  public List<Deployment> history(String environment, String service, int limit) throws StoreException {
    requireLimit(limit);
    return db.read("list the deployments of " + service + " in " + environment, c -> deployments(c,
        "WHERE environment = ? AND service = ? ORDER BY id DESC LIMIT ?", environment, service, limit));
  }

  @Override
  public void setCurrentRelease(String environment, String service, String releaseId) throws StoreException {
    String operation = "set the current release of " + service + " in " + environment;
    db.write(operation, c -> {
      fence(c, environment, operation);
      requireRelease(c, operation, environment, service, releaseId);
      Instant now = now();
      for (int attempt = 1; ; attempt++) {
        try (PreparedStatement s = prepare(c,
            "UPDATE current_releases SET release_id = ?, updated_at = ? WHERE environment = ? AND service = ?")) {
          s.setString(1, releaseId);
          Rows.setInstant(s, 2, now);
          s.setString(3, environment);
          s.setString(4, service);
          if (s.executeUpdate() == 1) {
            return null;
          }
        }
        Savepoint beforeInsert = c.setSavepoint();
        try (PreparedStatement s = prepare(c,
            "INSERT INTO current_releases (environment, service, release_id, updated_at) VALUES (?, ?, ?, ?)")) {
          s.setString(1, environment);
          s.setString(2, service);
          s.setString(3, releaseId);
          Rows.setInstant(s, 4, now);
          s.executeUpdate();
          return null;
        } catch (SQLException e) {
          if (!SqlErrors.uniqueViolation(e) || attempt == CONFLICT_RETRIES) {
            throw e;
          }
          c.rollback(beforeInsert); // another process inserted the first one: update it instead
        }
      }
    });
  }

  @Override
  public Optional<String> currentRelease(String environment, String service) throws StoreException {
    return db.read("read the current release of " + service + " in " + environment, c -> {
      try (PreparedStatement s = prepare(c,
          "SELECT release_id FROM current_releases WHERE environment = ? AND service = ?")) {
        s.setString(1, environment);
        s.setString(2, service);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public long appendEvent(NewEvent e) throws StoreException {
    String operation = "append a " + e.kind() + " event in " + e.environment();
    return db.write(operation, c -> {
      fence(c, e.environment(), operation);
      return EventLog.append(c, e, now());
    });
  }

  @Override
  public List<StoredEvent> events(String environment, String service, long afterId, int limit) throws StoreException {
    requireLimit(limit);
    String what = service == null ? "" : " of " + service;
    return db.read("read the events" + what + " in " + environment,
        c -> EventLog.read(c, environment, service, afterId, limit));
  }

  /** A fenced store stops writing; the store that was opened closes its connections. */
  @Override
  public void close() {
    if (fence != null) {
      fence.closed = true;
      return;
    }
    try {
      leaseDb.close();
    } finally {
      db.close();
    }
  }

  @Override
  public String toString() {
    return "StateStore(" + db.location().display() + (fence == null ? "" : ", lease " + fence.lease.token()
        + " on " + fence.lease.environment()) + ")";
  }

  /** First in every write transaction: the lease check of a fenced store (nothing for the opened one). */
  private void fence(Connection c, String environment, String operation) throws SQLException, StoreException {
    if (fence != null) {
      JdbcLeases.check(c, fence, environment, operation);
    }
  }

  private Instant now() {
    // Both databases keep microseconds; truncating here makes what is returned equal what is read back.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static void requireLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
  }

  private static void requireRelease(Connection c, String operation, String environment, String service,
      String releaseId) throws SQLException, StoreException {
    Release release = release(c, environment, releaseId).orElseThrow(() -> new StoreException(operation,
        "there is no release " + releaseId + " in " + environment, "create the release first"));
    if (!release.service().equals(service)) {
      throw new StoreException(operation, "release " + releaseId + " in " + environment + " is a release of "
          + release.service() + ", not of " + service, null);
    }
  }

  private static Optional<Release> release(Connection c, String environment, String releaseId) throws SQLException {
    try (PreparedStatement s = prepare(c, "SELECT " + Rows.RELEASE_COLUMNS + " FROM releases WHERE environment = ? AND id = ?")) {
      s.setString(1, environment);
      s.setString(2, releaseId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(Rows.release(rs)) : Optional.empty();
      }
    }
  }

  private static Optional<Deployment> deployment(Connection c, long id) throws SQLException {
    return deployments(c, "WHERE id = ?", id).stream().findFirst();
  }

  private static Optional<Deployment> active(Connection c, String environment, String service) throws SQLException {
    return deployments(c, "WHERE environment = ? AND active_service = ?", environment, service).stream().findFirst();
  }

  private static List<Deployment> deployments(Connection c, String where, Object... parameters) throws SQLException {
    try (PreparedStatement s = prepare(c, "SELECT " + Rows.DEPLOYMENT_COLUMNS + " FROM deployments " + where)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      List<Deployment> deployments = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          deployments.add(Rows.deployment(rs));
        }
      }
      return deployments;
    }
  }

  private static long generatedId(PreparedStatement s) throws SQLException {
    try (ResultSet keys = s.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("the database returned no generated id");
      }
      return keys.getLong("id");
    }
  }
}
