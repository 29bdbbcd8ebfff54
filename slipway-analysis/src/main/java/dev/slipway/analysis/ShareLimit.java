package dev.slipway.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * One limit of a canary analysis, stated as "at most {@code limit} of requests are bad": an error
 * rate limit directly (bad = error), a latency limit through its quantile (p99 ≤ 500 ms means at
 * most 1% of requests are slower than 500 ms). Decides with the statistics described in
 * docs/analysis.md; the thresholds are {@link CanaryJudge}'s.
 */
final class ShareLimit {
  /** In the order the judge reports them when nothing is breached: the most telling first. */
  enum State { BREACHED, SAME_AS_STABLE, BREACHED_TOO_EARLY, HOLDS, UNDECIDED }

  /** A decision and its explanation for the verdict line. */
  record Outcome(State state, String text) {}

  /** Bad events and requests of one version over the window; bad may be fractional (interpolated). */
  record Counts(double bad, long n) {
    double share() {
      return n == 0 ? Double.NaN : bad / n;
    }
  }

  private ShareLimit() {}

  /**
   * @param early     fewest canary requests before a breach can be called
   * @param describe  what the numbers say, by state, e.g. "error rate 5.2% > 1% (canary 52/1000, …)"
   */
  static Outcome judge(Counts canary, Counts stable, double limit, long early, Texts describe) {
    if (canary.n() >= early && Stats.wilsonLower(canary.bad(), canary.n(), CanaryJudge.Z_FAIL) > limit) {
      if (stable.n() < early) {
        return new Outcome(State.BREACHED, describe.breached(false));
      }
      double p = Stats.worseThan(Math.round(canary.bad()), canary.n(), Math.round(stable.bad()), stable.n());
      if (p < CanaryJudge.ALPHA_STABLE) {
        return new Outcome(State.BREACHED, describe.breached(true));
      }
      // not clearly worse than stable: because stable breaches the limit too, or because too few bad
      // requests have been seen yet to tell the two apart
      return stable.share() > limit ? new Outcome(State.SAME_AS_STABLE, describe.sameAsStable())
          : new Outcome(State.UNDECIDED, describe.notYetWorseThanStable());
    }
    // a limit of 0 ("no errors at all") can never be shown statistically; it holds while nothing went wrong
    boolean holds = limit <= 0 ? canary.n() > 0 && canary.bad() == 0
        : Stats.wilsonUpper(canary.bad(), canary.n(), CanaryJudge.Z_PASS) < limit;
    if (holds) {
      return new Outcome(State.HOLDS, describe.holds());
    }
    return new Outcome(State.UNDECIDED, describe.undecided());
  }

  /** The verdict texts of one limit. */
  interface Texts {
    /** @param compared whether stable had enough traffic to be compared with */
    String breached(boolean compared);

    String sameAsStable();

    String notYetWorseThanStable();

    String holds();

    String undecided();
  }

  /** {@code 0.052} → {@code 5.2%}, {@code 0.0005} → {@code 0.05%}, {@code 0.01} → {@code 1%}. */
  static String percent(double share) {
    if (Double.isNaN(share)) {
      return "-";
    }
    double pct = share * 100;
    int decimals = pct >= 10 || pct == 0 ? 0 : pct >= 1 ? 1 : 2;
    return new BigDecimal(pct).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "%";
  }

  /** Seconds as {@code 820 ms}, {@code 4.5 ms}. */
  static String millis(double seconds) {
    if (Double.isNaN(seconds)) {
      return "- ms";
    }
    double ms = seconds * 1000;
    return new BigDecimal(ms).setScale(ms >= 10 ? 0 : 1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
        + " ms";
  }

  /** A count that may be interpolated: whole when it is nearly whole. */
  static String count(double x) {
    return Math.abs(x - Math.round(x)) < 0.05 ? Long.toString(Math.round(x))
        : new BigDecimal(x).setScale(1, RoundingMode.HALF_UP).toPlainString();
  }

  /** At most four significant digits: {@code 0.7213} → {@code 0.7213}, {@code 12345} → {@code 12350}. */
  static String number(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
