package dev.slipway.plan.promotion;

import dev.slipway.model.PromotionSpec;
import dev.slipway.model.WindowSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Evaluates the gates of a promotion into an environment: {@code verified} (one per service),
 * {@code soak}, {@code approvals}, {@code window} and {@code freeze}. Each gate says in one line what
 * holds or what is missing; the server shows them on the promotion and runs it when all hold.
 */
public final class PromotionGates {
  /** The built-in role that may do everything, approving included (the API's {@code Roles.ADMIN}). */
  public static final String ADMIN = "admin";
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

  private PromotionGates() {}

  /**
   * The gates of a promotion at {@code now}.
   *
   * @param spec      the target environment's {@code promotion}
   * @param source    the release each promoted service runs in {@code spec.from()}
   * @param approvals every decision on the promotion so far, in the order made
   * @param requester who requested it: their own approval never counts
   * @param freeze    the target's freeze, or null
   */
  public static GateReport evaluate(PromotionSpec spec, List<ReleaseFacts> source, List<Approval> approvals,
      String requester, Freeze freeze, Instant now) {
    List<Gate> gates = new ArrayList<>(verified(spec, source, now));
    gates.add(soak(spec, source, now));
    gates.add(approvals(spec, approvals == null ? List.of() : approvals, requester));
    gates.add(window(spec.window(), now));
    gates.add(freeze(freeze, now));
    return GateReport.of(gates);
  }

  static List<Gate> verified(PromotionSpec spec, List<ReleaseFacts> source, Instant now) {
    if (source == null || source.isEmpty()) {
      return List.of(new Gate(Gate.VERIFIED, false, "nothing to promote: no release in " + spec.from()));
    }
    List<Gate> gates = new ArrayList<>();
    for (ReleaseFacts f : source) {
      String what = f.service() + (f.release() == null ? "" : " " + f.release());
      String why = Verification.whyNot(f, spec.soak(), now);
      gates.add(why == null ? new Gate(Gate.VERIFIED, true, what + " verified in " + spec.from())
          : new Gate(Gate.VERIFIED, false, what + " not verified in " + spec.from() + ": " + why));
    }
    return gates;
  }

  /** The least-soaked service decides: "soak 45m of 1h". */
  static Gate soak(PromotionSpec spec, List<ReleaseFacts> source, Instant now) {
    if (spec.soak().isZero()) {
      return new Gate(Gate.SOAK, true, "no soak required");
    }
    Duration least = null;
    String service = null;
    for (ReleaseFacts f : source == null ? List.<ReleaseFacts>of() : source) {
      Duration served = Verification.served(f, now);
      if (least == null || served.compareTo(least) < 0) {
        least = served;
        service = f.service();
      }
    }
    least = least == null ? Duration.ZERO : least;
    String text = "soak " + DurationText.compact(least) + " of " + DurationText.compact(spec.soak())
        + (source != null && source.size() > 1 ? " (" + service + ")" : "");
    return new Gate(Gate.SOAK, least.compareTo(spec.soak()) >= 0, text);
  }

  static Gate approvals(PromotionSpec spec, List<Approval> approvals, String requester) {
    for (Approval a : approvals) {
      if (a.rejects()) {
        return new Gate(Gate.APPROVALS, false, "rejected by " + a.user()
            + (a.comment() == null || a.comment().isBlank() ? "" : ": " + a.comment()));
      }
    }
    if (spec.approvals() == 0) {
      return new Gate(Gate.APPROVALS, true, "no approval needed");
    }
    Set<String> approvedBy = new LinkedHashSet<>();
    boolean ownIgnored = false;
    for (Approval a : approvals) {
      if (a.user() == null || !Approval.APPROVED.equals(a.decision())) {
        continue;
      }
      if (a.user().equals(requester)) {
        ownIgnored = true; // refused at approve time too; a stored one still must not count
      } else if (mayApprove(spec, a.roles())) {
        approvedBy.add(a.user());
      }
    }
    String by = approvedBy.isEmpty() ? "" : "approved by " + Texts.all(List.copyOf(approvedBy));
    int missing = spec.approvals() - approvedBy.size();
    if (missing <= 0) {
      return new Gate(Gate.APPROVALS, true, by);
    }
    String count = approvedBy.isEmpty() ? Texts.plural(missing, "approval")
        : missing + " more " + (missing == 1 ? "approval" : "approvals");
    String text = "needs " + count + " from " + Texts.alternatives(spec.approvers()) + (by.isEmpty() ? "" : "; " + by)
        + (ownIgnored ? "; " + requester + "'s own approval does not count" : "");
    return new Gate(Gate.APPROVALS, false, text);
  }

  /** Whether a user with {@code roles} may approve into an environment with {@code spec}. */
  public static boolean mayApprove(PromotionSpec spec, List<String> roles) {
    return roles.contains(ADMIN) || roles.stream().anyMatch(spec.approvers()::contains);
  }

  static Gate window(WindowSpec w, Instant now) {
    if (w == null) {
      return new Gate(Gate.WINDOW, true, "no window: any time");
    }
    String zone = w.zone().getId();
    if (Windows.isOpen(w, now)) {
      String closes = w.closes().equals(LocalTime.MAX) ? "24:00" : TIME.format(w.closes());
      return new Gate(Gate.WINDOW, true, "inside the window (closes " + closes + " " + zone + ")");
    }
    ZonedDateTime next = Windows.nextOpening(w, now);
    return new Gate(Gate.WINDOW, false, "outside the window; next opens " + DAY_TIME.format(next) + " (" + zone + ")");
  }

  static Gate freeze(Freeze freeze, Instant now) {
    if (freeze == null || !freeze.holdsAt(now)) {
      return new Gate(Gate.FREEZE, true, "not frozen");
    }
    String reason = freeze.reason() == null || freeze.reason().isBlank() ? "" : ": " + freeze.reason();
    String by = freeze.by() == null ? "" : " (by " + freeze.by() + ")";
    String until = freeze.until() == null ? "" : " until " + Texts.instant(freeze.until());
    return new Gate(Gate.FREEZE, false, "frozen" + until + reason + by);
  }
}
