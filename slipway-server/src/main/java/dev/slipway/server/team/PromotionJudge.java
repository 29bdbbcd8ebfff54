package dev.slipway.server.team;

import dev.slipway.api.team.ConfigChangeView;
import dev.slipway.api.team.GateView;
import dev.slipway.api.team.PromotionItem;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.PromotionSpec;
import dev.slipway.plan.promotion.Approval;
import dev.slipway.plan.promotion.ConfigDiff;
import dev.slipway.plan.promotion.Freeze;
import dev.slipway.plan.promotion.GateReport;
import dev.slipway.plan.promotion.PromotionGates;
import dev.slipway.plan.promotion.ReleaseFacts;
import dev.slipway.plan.promotion.Verification;
import dev.slipway.server.ApiError;
import dev.slipway.store.StoreException;
import dev.slipway.store.team.ServerRelease;
import dev.slipway.store.team.TeamStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;

/**
 * Works out what a promotion promotes and which of its gates hold, from what the server recorded (releases as
 * seen, approvals, freezes) and the model as it is now. Reads only; {@link Promotions} stores and acts.
 */
final class PromotionJudge {
  private final TeamStore store;
  private final TeamModel model;

  PromotionJudge(TeamStore store, TeamModel model) {
    this.store = store;
    this.model = model;
  }

  /** A new promotion's items and configuration changes, before its gates. */
  record Draft(String from, String to, PromotionSpec spec, List<PromotionItem> items, List<ConfigChangeView> changes,
      Map<String, Map<String, String>> config) {}

  /** The target's {@code promotion:}; 409 when it has none, 404 when there is no such environment. */
  PromotionSpec spec(String to) {
    EnvironmentSpec env = model.environment(to);
    if (env.promotion() == null) {
      throw ApiError.conflict("no-promotion", "Not promoted into", to + " declares no `promotion:`, so nothing "
          + "is promoted into it", "add `promotion: { from: ENV }` to environments." + to + " in " + model.file()
          + ", or deploy to it directly: `slipway deploy SERVICE --env " + to + "`");
    }
    if (env.target() != EnvironmentSpec.TargetKind.KUBERNETES) {
      throw ApiError.conflict("local-target", "Not a server environment", to + " is a local environment: the "
          + "server promotes into kubernetes environments only", "give environments." + to + " `target: kubernetes`");
    }
    return env.promotion();
  }

  /**
   * What promoting into {@code to} would carry: for each requested service (none: every service whose
   * candidate in the source differs from what the target runs) the release verified in the source, by its
   * exact image. A requested service that is not verified there for a reason time does not heal (not live,
   * analysis failed, rolled back) is refused with that reason; one still soaking is promoted once it has.
   */
  Draft draft(String to, List<String> services, Instant now) throws StoreException {
    PromotionSpec spec = spec(to);
    String from = spec.from();
    AppSpec target = model.forEnvironment(to);
    AppSpec source = model.forEnvironment(from);
    boolean chosen = services != null && !services.isEmpty();
    List<String> names = chosen ? services.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList()
        : List.copyOf(source.services().keySet());
    List<PromotionItem> items = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String service : names) {
      if (!target.services().containsKey(service)) {
        throw ApiError.notFound("unknown-service", "no service named `" + service + "` in " + model.file()
            + "; services: " + String.join(", ", target.services().keySet()));
      }
      ReleaseFacts facts = current(from, service);
      Optional<ServerRelease> there = store.currentRelease(to, service);
      String why = facts == null ? "no release in " + from + " yet"
          : Verification.whyNot(facts, Duration.ZERO, now);
      if (why != null) {
        String text = service + (facts == null ? "" : " " + facts.release() + " in " + from) + ": " + why;
        if (chosen) {
          throw ApiError.conflict("not-verified", "Not verified in " + from, text,
              "promote what is verified in " + from + " (`slipway promotions --env " + to + "` shows the gates), or "
                  + "deploy a release there and let it serve: `slipway deploy " + service + " --env " + from + "`");
        }
        skipped.add(text);
        continue;
      }
      if (!chosen && there.isPresent() && Objects.equals(there.get().image(), facts.image())) {
        skipped.add(service + ": " + to + " already runs " + facts.image());
        continue;
      }
      items.add(new PromotionItem(service, facts.release(), facts.image(), there.map(ServerRelease::release).orElse(null),
          there.map(ServerRelease::image).orElse(null)));
    }
    if (items.isEmpty()) {
      throw ApiError.conflict("nothing-to-promote", "Nothing to promote",
          "nothing in " + from + " to promote into " + to + (skipped.isEmpty() ? "" : ": " + String.join("; ", skipped)),
          "deploy to " + from + " first: `slipway deploy SERVICE --env " + from + "`");
    }
    List<ConfigChangeView> changes = new ArrayList<>();
    Map<String, Map<String, String>> config = new TreeMap<>();
    for (PromotionItem item : items) {
      Map<String, String> after = TargetConfig.of(target, item.service());
      config.put(item.service(), after);
      for (ConfigDiff.Change c : ConfigDiff.of(lastConfig(to, item.service()), after, TargetConfig::isSecretKey)) {
        changes.add(new ConfigChangeView(item.service(), c.key(), c.kind(), c.before(), c.after()));
      }
    }
    return new Draft(from, to, spec, items, changes, config);
  }

  /**
   * The service's configuration the target last got: as recorded with its current release, else as the
   * last promotion into it that succeeded carried it, else none (every key is then added).
   */
  private Map<String, String> lastConfig(String to, String service) throws StoreException {
    Optional<ServerRelease> current = store.currentRelease(to, service);
    if (current.isPresent() && current.get().configJson() != null) {
      return TargetConfig.parse(current.get().configJson());
    }
    for (var p : store.promotions(to, Promotions.SUCCEEDED)) {
      Map<String, String> applied = p.to().equals(to) ? PromotionRecord.parse(p.viewJson()).config().get(service) : null;
      if (applied != null) {
        return applied;
      }
    }
    return Map.of();
  }

  /**
   * The gates of a promotion of {@code items} now: the source facts of exactly the promoted releases, the
   * decisions so far, the target's freeze (none when an admin overrode it).
   */
  GateReport gates(PromotionSpec spec, List<PromotionItem> items, List<Approval> decisions, String requester,
      boolean overrideFreeze, String to, Instant now) throws StoreException {
    List<ReleaseFacts> source = new ArrayList<>();
    for (PromotionItem item : items) {
      ReleaseFacts f = of(spec.from(), item.service(), item.fromRelease());
      source.add(f == null ? new ReleaseFacts(item.service(), item.fromRelease(), item.image(), "gone", null, null, null)
          : f);
    }
    Freeze freeze = overrideFreeze ? null : store.currentFreeze(to, now)
        .map(f -> new Freeze(f.until(), f.reason(), f.by())).orElse(null);
    return PromotionGates.evaluate(spec, source, decisions, requester, freeze, now);
  }

  static List<GateView> views(GateReport report) {
    return report.gates().stream().map(g -> new GateView(g.name(), g.holds(), g.text())).toList();
  }

  /** The service's current release in {@code env} as verification sees it, or null. */
  ReleaseFacts current(String env, String service) throws StoreException {
    Optional<ServerRelease> r = store.currentRelease(env, service);
    return r.isEmpty() ? null : of(env, service, r.get().release());
  }

  /** One recorded release's facts, with the service's last rollback in that environment; null when unknown. */
  ReleaseFacts of(String env, String service, String release) throws StoreException {
    ServerRelease found = null;
    Instant lastRollback = null;
    for (ServerRelease r : store.releases(env)) {
      if (!r.service().equals(service)) {
        continue;
      }
      if (r.release().equals(release) && found == null) {
        found = r;
      }
      if (r.rolledBackAt() != null && (lastRollback == null || r.rolledBackAt().isAfter(lastRollback))) {
        lastRollback = r.rolledBackAt();
      }
    }
    return found == null ? null : new ReleaseFacts(service, found.release(), found.image(), found.state(),
        found.liveSince(), found.analysis(), lastRollback);
  }
}
