package dev.slipway.server.team;

import static dev.slipway.server.team.PromotionAudit.details;
import static dev.slipway.server.team.PromotionAudit.entry;
import static dev.slipway.server.team.PromotionAudit.itemsText;

import dev.slipway.api.team.ApprovalView;
import dev.slipway.api.team.PromotionItem;
import dev.slipway.api.team.PromotionRequest;
import dev.slipway.api.team.PromotionView;
import dev.slipway.api.team.Roles;
import dev.slipway.api.team.RunView;
import dev.slipway.model.PromotionSpec;
import dev.slipway.plan.promotion.Approval;
import dev.slipway.plan.promotion.Gate;
import dev.slipway.plan.promotion.GateReport;
import dev.slipway.plan.promotion.PromotionGates;
import dev.slipway.server.ApiError;
import dev.slipway.store.StoreException;
import dev.slipway.store.team.Promotion;
import dev.slipway.store.team.PromotionChange;
import dev.slipway.store.team.TeamConflictException;
import dev.slipway.store.team.TeamStore;
import dev.slipway.store.team.TeamUser;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Promotions from one environment to the next ({@code environments.E.promotion}): requested by a deployer,
 * judged by their gates, approved or rejected, then carried out as one deploy run per service with the
 * exact image verified in the source.
 *
 * <p>Crash safety, as for runs (decision 0012): a promotion is stored {@code running} before its first run
 * is started, and {@link Runs} persists each run before it acts. What a crash leaves is finished by the
 * {@link PromotionTicker}, which also starts waiting promotions whose gates have come to hold: a
 * {@code running} promotion with a service that has no run yet gets that run; one whose runs have all
 * ended gets its outcome (runs a crash interrupted are resumed by {@link Runs#recover} first).
 *
 * <p>Every change is stored with its audit entry in one transaction ({@link TeamStore}'s rule).
 */
public final class Promotions implements AutoCloseable {
  /** How often waiting promotions are judged again, in tests: a duration such as {@code 200ms} or {@code 2s}. */
  public static final String TICK_VARIABLE = "SLIPWAY_PROMOTION_TICK";
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(2);
  static final String WAITING = "waiting";
  static final String RUNNING = "running";
  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";
  static final String REJECTED = "rejected";
  /**
   * {@code SLIPWAY_CHAOS=point:promotion-running} halts the server (like {@code kill -9}) right after a
   * promotion is stored {@code running} and before its first run exists: the window between the two
   * writes, for the crash test. The cluster runner ignores the point; unset, this costs nothing.
   */
  private static final boolean HALT_WHEN_RUNNING = java.util.Arrays.stream(
      java.util.Objects.requireNonNullElse(System.getenv("SLIPWAY_CHAOS"), "").split(","))
      .anyMatch(p -> p.strip().equals("point:promotion-running"));

  private final TeamStore store;
  private final Runs runs;
  private final Clock clock;
  private final PromotionJudge judge;
  // Transitions and run launches of all promotions, one at a time: the ticker, a run's end and an approval
  // may otherwise start the same service's run twice. The store's compare-and-set guards other processes.
  private final ReentrantLock lock = new ReentrantLock();
  private volatile PromotionTicker ticker;

  Promotions(TeamStore store, TeamModel model, Runs runs, Clock clock) {
    this.store = store;
    this.runs = runs;
    this.clock = clock;
    this.judge = new PromotionJudge(store, model);
  }

  /**
   * The server's promotions, their ticker started: its first pass at once finishes what a crash left (the
   * order against {@link Runs#recover} does not matter: the ticker starts only runs that were never
   * created, recovery resumes only runs that were).
   *
   * @param tick how often waiting promotions are judged again ({@link PromotionTicker#fromEnvironment()})
   * @param log  where a failing pass is reported
   */
  public static Promotions start(TeamStore store, TeamModel model, Runs runs, Clock clock, Duration tick,
      java.util.function.Consumer<String> log) {
    Promotions p = new Promotions(store, model, runs, clock);
    p.ticker = PromotionTicker.start(p, runs, tick, log);
    return p;
  }

  /** Stops the ticker; what runs goes on until the server stops, and what it leaves the next start finishes. */
  @Override
  public void close() {
    if (ticker != null) {
      ticker.close();
    }
  }

  /**
   * {@code POST /promotions}: judges and (unless {@code dryRun}) stores a promotion, {@code running} at once
   * when every gate holds, else {@code waiting}.
   */
  public PromotionView request(PromotionRequest r, Caller caller, boolean dryRun) throws StoreException {
    if (r == null || r.to() == null || r.to().isBlank()) {
      throw ApiError.badRequest("say which environment to promote into: {\"to\": \"production\"} "
          + "(slipway promote --to production)");
    }
    String to = r.to().strip();
    Access.require(caller, "request promotions into " + to, Roles.DEPLOYER);
    if (r.overrideFreeze() && !caller.isAdmin()) {
      throw Access.forbidden(caller, "override the freeze of " + to, List.of(Roles.ADMIN));
    }
    var now = clock.instant();
    judge.spec(to); // 404 / 409 for a target that takes no promotions, before anything else is said about it
    var freeze = store.currentFreeze(to, now);
    if (freeze.isPresent() && !r.overrideFreeze()) {
      var f = freeze.get();
      throw ApiError.conflict("frozen", "Frozen environment", to + " is frozen" + (f.until() == null ? ""
          : " until " + f.until()) + ": " + f.reason() + " (by " + f.by() + ")", "wait until the freeze ends or an "
          + "admin lifts it (slipway unfreeze " + to + "); or, as an admin, promote with --override-freeze and a "
          + "reason (recorded in the audit)");
    }
    PromotionJudge.Draft draft = judge.draft(to, r.services(), now);
    boolean overridden = r.overrideFreeze() && freeze.isPresent();
    GateReport gates = judge.gates(draft.spec(), draft.items(), List.of(), caller.name(), overridden, to, now);
    PromotionRecord record = new PromotionRecord(draft.items(), draft.changes(), PromotionJudge.views(gates),
        blankToNull(r.reason()), overridden, draft.config());
    if (dryRun) {
      return new PromotionView(0, draft.from(), to, gates.allHold() ? RUNNING : WAITING, record.items(),
          record.changes(), record.gates(), List.of(), caller.name(), now, null, waitingFor(gates), List.of());
    }
    String reason = overridden ? "freeze overridden" + (record.reason() == null ? "" : ": " + record.reason())
        : record.reason();
    Promotion stored = store.createPromotion(new dev.slipway.store.team.NewPromotion(draft.from(), to, WAITING,
        caller.name(), record.json()), entry(caller.name(), "promotion.request", to, record.items(), reason,
        details("from", draft.from(), "to", to, "items", itemsText(record.items()), "overrideFreeze", overridden)));
    // Two writes, so a crash between them leaves a waiting promotion, which the ticker starts.
    if (gates.allHold()) {
      launch(stored.id(), caller.name());
    }
    return view(stored.id());
  }

  /** {@code POST /promotions/ID/approve}: the requester's own approval and a user without an approver role are refused. */
  public PromotionView approve(long id, Caller caller, String comment) throws StoreException {
    Promotion p = find(id);
    if (p.requestedBy().equals(caller.name())) {
      throw new ApiError(403, "forbidden", "Forbidden", List.of(caller.name() + " requested promotion " + id
          + " and may not approve it", "ask another approver of " + p.to() + ": `slipway approve " + id + "`"));
    }
    decidable(p, caller, "approve");
    decide(p, caller, Approval.APPROVED, blankToNull(comment), "approve");
    GateReport gates = gatesOf(p, clock.instant());
    if (gates.allHold()) {
      launch(id, caller.name());
    }
    return view(id);
  }

  /** {@code POST /promotions/ID/reject}: a comment is required; the promotion ends {@code rejected}. */
  public PromotionView reject(long id, Caller caller, String comment) throws StoreException {
    if (comment == null || comment.isBlank()) {
      throw ApiError.badRequest("a rejection needs a comment saying why: `slipway reject " + id
          + " --comment \"…\"`");
    }
    Promotion p = decidable(find(id), caller, "reject");
    decide(p, caller, Approval.REJECTED, comment.strip(), "reject");
    finishRejected(id, caller.name(), comment.strip());
    return view(id);
  }

  public PromotionView get(long id) throws StoreException {
    return view(id);
  }

  /** Newest first; {@code environment} null for all, else those from or into it. */
  public List<PromotionView> list(String environment) throws StoreException {
    List<PromotionView> out = new ArrayList<>();
    for (Promotion p : store.promotions(environment, null)) {
      out.add(view(p));
    }
    return out;
  }

  /**
   * One pass of the ticker: starts waiting promotions whose gates now hold (soak served, window open, freeze
   * over), ends those a rejection left waiting, and finishes running ones (missing runs started, outcome
   * recorded once every run has ended).
   */
  void tick() throws StoreException {
    for (Promotion p : store.promotions(null, WAITING)) {
      try {
        GateReport gates = gatesOf(p, clock.instant());
        if (gates.rejected()) {
          finishRejected(p.id(), "server", gates.gates().stream().filter(g -> g.name().equals(Gate.APPROVALS))
              .map(Gate::text).findFirst().orElse("rejected"));
        } else if (gates.allHold()) {
          launch(p.id(), "server");
        }
      } catch (ApiError e) {
        // The model lost what the promotion needs (its target's promotion:); it waits until the model is fixed.
      }
    }
    for (Promotion p : store.promotions(null, RUNNING)) {
      carryOn(p.id());
    }
  }

  /** A run ended: if it carried a promotion, that promotion may now have its outcome. */
  void runEnded(RunView run) {
    if (run.promotionId() == 0) {
      return;
    }
    try {
      carryOn(run.promotionId());
    } catch (StoreException e) {
      // The ticker records the outcome on its next pass.
    }
  }

  /** waiting → running (with its {@code promote} entry), then its runs; nothing when another got there first. */
  private void launch(long id, String startedBy) throws StoreException {
    lock.lock();
    try {
      Promotion p = store.promotion(id).orElseThrow();
      if (!p.state().equals(WAITING)) {
        return;
      }
      PromotionRecord record = PromotionRecord.parse(p.viewJson());
      GateReport gates = gatesOf(p, clock.instant());
      if (!gates.allHold()) {
        return;
      }
      var moved = store.transitionPromotion(id, WAITING, PromotionChange.to(RUNNING).withOutcome("running")
          .withView(record.withGates(PromotionJudge.views(gates)).json()), entry(p.requestedBy(), "promote", p.to(),
          record.items(), record.reason(), details("promotionId", id, "phase", "start", "from", p.from(), "startedBy",
              startedBy, "items", itemsText(record.items()))));
      if (moved.isPresent()) {
        if (HALT_WHEN_RUNNING) {
          System.out.println("chaos: halting at point:promotion-running (promotion " + id + ")");
          System.out.flush();
          Runtime.getRuntime().halt(137);
        }
        startMissingRuns(moved.get(), record);
      }
    } finally {
      lock.unlock();
    }
  }

  /** A running promotion: start the runs it lacks, or record its outcome once all have ended. */
  private void carryOn(long id) throws StoreException {
    lock.lock();
    try {
      Promotion p = store.promotion(id).orElse(null);
      if (p == null || !p.state().equals(RUNNING)) {
        return;
      }
      PromotionRecord record = PromotionRecord.parse(p.viewJson());
      if (startMissingRuns(p, record)) {
        return;
      }
      List<dev.slipway.store.team.Run> carried = store.runsOfPromotion(id);
      if (carried.stream().anyMatch(r -> !r.finished())) {
        return;
      }
      List<String> failures = new ArrayList<>();
      for (PromotionItem item : record.items()) {
        dev.slipway.store.team.Run last = lastRunOf(carried, item.service());
        if (!SUCCEEDED.equals(last.state())) {
          failures.add(item.service() + " (run " + last.id() + ") " + last.state() + ": " + last.message());
        }
      }
      String state = failures.isEmpty() ? SUCCEEDED : FAILED;
      String outcome = failures.isEmpty() ? "promoted " + itemsText(record.items()) + " into " + p.to()
          : String.join("; ", failures);
      store.transitionPromotion(id, RUNNING, PromotionChange.finish(state, outcome), entry(p.requestedBy(), "promote",
          p.to(), record.items(), null, details("promotionId", id, "phase", "end", "outcome", state, "runs",
              carried.stream().map(r -> r.id() + " " + r.service() + " " + r.state()).toList())));
    } finally {
      lock.unlock();
    }
  }

  /** Starts a run for each item that has none; true when one was started (the outcome must wait for it). */
  private boolean startMissingRuns(Promotion p, PromotionRecord record) throws StoreException {
    List<dev.slipway.store.team.Run> carried = store.runsOfPromotion(p.id());
    boolean started = false;
    for (PromotionItem item : record.items()) {
      if (lastRunOf(carried, item.service()) != null) {
        continue;
      }
      try {
        runs.start(RunRequest.forPromotion(p.to(), item.service(), p.requestedBy(), item.image(), p.id()));
        started = true;
      } catch (ApiError e) {
        // The model changed under the promotion (the service or environment is gone): it cannot be carried out.
        store.transitionPromotion(p.id(), RUNNING, PromotionChange.finish(FAILED, item.service() + ": "
            + String.join("; ", e.details())), entry(p.requestedBy(), "promote", p.to(), record.items(), null,
            details("promotionId", p.id(), "phase", "end", "outcome", FAILED)));
        return true;
      }
    }
    return started;
  }

  private static dev.slipway.store.team.Run lastRunOf(List<dev.slipway.store.team.Run> runs, String service) {
    dev.slipway.store.team.Run last = null;
    for (dev.slipway.store.team.Run r : runs) {
      if (service.equals(r.service())) {
        last = r;
      }
    }
    return last;
  }

  private void finishRejected(long id, String actor, String why) throws StoreException {
    lock.lock();
    try {
      // The reject entry was appended with the decision; this write only ends what the decision decided.
      store.transitionPromotion(id, WAITING, PromotionChange.finish(REJECTED, why.startsWith("rejected by ") ? why
          : "rejected by " + actor + ": " + why), null);
    } finally {
      lock.unlock();
    }
  }

  /** The promotion, if it still waits for decisions and the caller holds a role that may decide on it. */
  private Promotion decidable(Promotion p, Caller caller, String verb) {
    long id = p.id();
    PromotionSpec spec = judge.spec(p.to());
    if (!PromotionGates.mayApprove(spec, caller.roles())) {
      throw Access.forbidden(caller, verb + " promotions into " + p.to(), spec.approvers());
    }
    if (!p.state().equals(WAITING)) {
      throw ApiError.conflict("promotion-" + p.state(), "Promotion " + p.state(), "promotion " + id + " is "
          + p.state() + (p.outcome() == null ? "" : " (" + p.outcome() + ")") + ": there is nothing to " + verb,
          "see `slipway promotions --env " + p.to() + "`");
    }
    return p;
  }

  private void decide(Promotion p, Caller caller, String decision, String comment, String action)
      throws StoreException {
    PromotionRecord record = PromotionRecord.parse(p.viewJson());
    try {
      store.decide(p.id(), caller.name(), decision, comment, entry(caller.name(), action, p.to(), record.items(),
          comment, details("promotionId", p.id(), "from", p.from(), "requestedBy", p.requestedBy())));
    } catch (TeamConflictException e) {
      throw ApiError.conflict("decided", "Already decided", caller.name() + " already decided on promotion " + p.id(),
          "see `slipway promotions --env " + p.to() + "`");
    }
  }

  /** The gates of a stored promotion now, its approvers' roles as they are now. */
  private GateReport gatesOf(Promotion p, java.time.Instant now) throws StoreException {
    PromotionRecord record = PromotionRecord.parse(p.viewJson());
    List<Approval> decisions = new ArrayList<>();
    for (var a : store.approvals(p.id())) {
      List<String> roles = store.user(a.user()).map(TeamUser::roles).orElse(List.of());
      decisions.add(new Approval(a.user(), roles, a.decision(), a.comment()));
    }
    return judge.gates(judge.spec(p.to()), record.items(), decisions, p.requestedBy(), record.overrideFreeze(),
        p.to(), now);
  }

  private PromotionView view(long id) throws StoreException {
    return view(find(id));
  }

  private Promotion find(long id) throws StoreException {
    return store.promotion(id).orElseThrow(() -> ApiError.notFound("unknown-promotion", "no promotion " + id
        + "; see: slipway promotions"));
  }

  private PromotionView view(Promotion p) throws StoreException {
    PromotionRecord record = PromotionRecord.parse(p.viewJson());
    var gates = record.gates();
    String outcome = p.outcome();
    if (p.state().equals(WAITING)) {
      try {
        GateReport live = gatesOf(p, clock.instant());
        gates = PromotionJudge.views(live);
        outcome = waitingFor(live);
      } catch (ApiError e) {
        outcome = String.join("; ", e.details()); // the model lost the target's promotion: say so, keep the record
      }
    }
    List<ApprovalView> approvals = store.approvals(p.id()).stream()
        .map(a -> new ApprovalView(a.user(), a.decision(), a.comment(), a.at())).toList();
    List<Long> runIds = store.runsOfPromotion(p.id()).stream().map(dev.slipway.store.team.Run::id).toList();
    return new PromotionView(p.id(), p.from(), p.to(), p.state(), record.items(), record.changes(), gates, approvals,
        p.requestedBy(), p.requestedAt(), p.finishedAt(), outcome, runIds);
  }

  /** Why a promotion waits, one line: the texts of the gates that do not hold. */
  static String waitingFor(GateReport gates) {
    List<String> missing = gates.gates().stream().filter(g -> !g.holds()).map(Gate::text).toList();
    return missing.isEmpty() ? "every gate holds" : String.join("; ", missing);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
