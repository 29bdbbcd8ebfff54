package dev.slipway.server.team;

import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.api.team.FreezeView;
import dev.slipway.api.team.RunView;
import dev.slipway.api.team.UserView;
import dev.slipway.server.ApiError;
import dev.slipway.server.Json;
import dev.slipway.store.StoreException;
import dev.slipway.store.audit.AuditLog;
import dev.slipway.store.audit.AuditSigner;
import dev.slipway.store.audit.NewAuditEntry;
import dev.slipway.store.team.NewRun;
import dev.slipway.store.team.Run;
import dev.slipway.store.team.RunChange;
import dev.slipway.store.team.ServerRelease;
import dev.slipway.store.team.TeamStore;
import dev.slipway.store.team.TeamUser;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link TeamLedger} over the team store and the audit log: each change goes with its audit entry in one
 * transaction (the store's rule). A store that is away is the API's 503 with the store's own fix.
 */
final class StoreLedger implements TeamLedger {
  private final TeamStore store;
  private final AuditLog audit;
  private final AuditSigner signer;

  StoreLedger(TeamStore store, AuditLog audit, AuditSigner signer) {
    this.store = store;
    this.audit = audit;
    this.signer = signer;
  }

  @Override
  public RunView create(RunRequest r, Instant at, Audit entry) {
    return view(call(() -> store.createRun(new NewRun(r.kind(), r.environment(), r.service(), r.image(), r.requestedBy(),
        r.promotionId(), json(r)), entry(entry))));
  }

  @Override
  public RunView update(long id, String state, String message, String release, String image, Instant finishedAt,
      Audit entry) {
    // The executing thread is a run's only writer; the compare-and-set guards against a second server on the store.
    for (int attempt = 0; attempt < 3; attempt++) {
      Run current = call(() -> store.run(id)).orElseThrow(() -> new IllegalStateException("run " + id + " is gone"));
      if (current.finished()) {
        return view(current);
      }
      RunChange change = new RunChange(state, message, release, image, finishedAt != null);
      Optional<Run> moved = call(() -> store.transitionRun(id, current.state(), change, entry(entry)));
      if (moved.isPresent()) {
        return view(moved.get());
      }
    }
    throw new IllegalStateException("run " + id + " keeps changing under this server: is a second server using its store?");
  }

  @Override
  public Optional<RunView> get(long id) {
    return call(() -> store.run(id)).map(StoreLedger::view);
  }

  @Override
  public List<RunView> list(String environment, int limit) {
    return call(() -> store.runs(environment, limit)).stream().map(StoreLedger::view).toList();
  }

  @Override
  public List<RunView> unfinished() {
    return call(store::activeRuns).stream().map(StoreLedger::view).toList();
  }

  @Override
  public Optional<RunRequest> request(long id) {
    return call(() -> store.run(id)).map(Run::requestJson).filter(j -> j != null && !j.isBlank()).map(j -> {
      try {
        return Json.MAPPER.readValue(j, RunRequest.class);
      } catch (IOException e) {
        return null; // a run stored by another version: recovered from its columns instead
      }
    });
  }

  @Override
  public void recordRelease(ReleaseFacts f) {
    Optional<ServerRelease> known = call(() -> store.releases(f.environment())).stream()
        .filter(r -> r.service().equals(f.service()) && r.release().equals(f.release())).findFirst();
    // What the cluster's record no longer says (who made it, its configuration, a rollback) is kept.
    long runId = f.runId() != 0 ? f.runId() : known.map(ServerRelease::runId).orElse(0L);
    String config = f.configJson() != null ? f.configJson() : known.map(ServerRelease::configJson).orElse(null);
    Instant rolledBack = f.rolledBackAt() != null ? f.rolledBackAt() : known.map(ServerRelease::rolledBackAt).orElse(null);
    String state = known.map(ServerRelease::rolledBackAt).isPresent() && known.get().rolledBackAt() != null
        ? "rolled-back" : f.state();
    call(() -> store.recordRelease(new ServerRelease(f.environment(), f.service(), f.release(), f.image(),
        f.configDigest(), config, state, f.liveSince(), f.analysis(), rolledBack, runId, null), null));
  }

  @Override
  public void markRolledBack(String environment, String service, String release, Instant at, Audit entry) {
    call(() -> store.markRolledBack(environment, service, release, at, entry(entry)));
  }

  @Override
  public Optional<FreezeView> freeze(String environment, Instant now) {
    return call(() -> store.currentFreeze(environment, now))
        .map(f -> new FreezeView(f.environment(), f.until(), f.reason(), f.by(), f.at()));
  }

  @Override
  public boolean hasUsers() {
    return call(store::userCount) > 0;
  }

  @Override
  public Optional<Caller> callerByTokenHash(String tokenHash) {
    return call(() -> store.userByTokenSha256(tokenHash)).map(u -> new Caller(u.name(), u.roles()));
  }

  @Override
  public List<UserView> users() {
    return call(store::users).stream().map(StoreLedger::view).toList();
  }

  @Override
  public Optional<UserView> user(String name) {
    return call(() -> store.user(name)).map(StoreLedger::view);
  }

  @Override
  public UserView putUser(String name, List<String> roles, String tokenHash, String by, Instant at, Audit entry) {
    if (call(() -> store.user(name)).isEmpty()) {
      return view(call(() -> store.addUser(name, roles, tokenHash, by, entry(entry))));
    }
    // A rotation with new roles: two changes, each with the one entry the caller gave (on the token's change).
    call(() -> store.setRoles(name, roles, null));
    return view(call(() -> store.rotateToken(name, tokenHash, entry(entry))).orElseThrow());
  }

  @Override
  public UserView setRoles(String name, List<String> roles, Audit entry) {
    return view(call(() -> store.setRoles(name, roles, entry(entry))).orElseThrow(() ->
        ApiError.notFound("unknown-user", "no user named `" + name + "`")));
  }

  @Override
  public List<ReleaseFacts> releases(String environment) {
    return call(() -> store.releases(environment)).stream().map(r -> new ReleaseFacts(r.environment(), r.service(),
        r.release(), r.image(), r.configDigest(), r.configJson(), r.state(), r.liveSince(), r.analysis(),
        r.rolledBackAt(), r.runId())).toList();
  }

  @Override
  public List<AuditEntryView> audit(String environment, Instant since, long afterSeq, int limit) {
    return call(() -> audit.list(environment, since, afterSeq, limit));
  }

  @Override
  public long auditCount() {
    return call(audit::count);
  }

  @Override
  public CheckpointView checkpoint(Instant at) {
    return call(() -> audit.checkpoint(signer));
  }

  @Override
  public Optional<CheckpointView> latestCheckpoint() {
    return call(audit::latestCheckpoint);
  }

  @Override
  public List<CheckpointView> checkpoints() {
    return call(audit::checkpoints);
  }

  static NewAuditEntry entry(Audit a) {
    if (a == null) {
      return null;
    }
    Map<String, String> details = new LinkedHashMap<>();
    if (a.details() != null) {
      details.put("summary", a.details());
    }
    return new NewAuditEntry(a.actor(), a.action(), a.environment(), a.service(), a.beforeRelease(), a.afterRelease(),
        a.beforeDigest(), a.afterDigest(), a.reason(), details.isEmpty() ? null : json(details));
  }

  private static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("records of strings always serialise", e);
    }
  }

  private static RunView view(Run r) {
    return new RunView(r.id(), r.kind(), r.environment(), r.service(), r.state(), r.message(), r.release(), r.image(),
        r.requestedBy(), r.startedAt(), r.finishedAt(), r.promotionId());
  }

  private static UserView view(TeamUser u) {
    return new UserView(u.name(), u.roles(), u.createdAt(), u.createdBy());
  }

  private interface StoreCall<T> {
    T run() throws StoreException;
  }

  private static <T> T call(StoreCall<T> body) {
    try {
      return body.run();
    } catch (dev.slipway.store.team.TeamConflictException e) {
      throw new ApiError(409, "conflict", "Conflict", List.of(e.getMessage()));
    } catch (StoreException e) {
      throw new ApiError(503, "store-unavailable", "The team store cannot answer", List.of(e.getMessage()));
    }
  }
}
