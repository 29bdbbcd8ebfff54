package dev.slipway.analysis;

/**
 * The few statistics the canary judge needs: Wilson score bounds for a proportion, and the exact
 * binomial tail used to compare two rates. Pure functions.
 */
final class Stats {
  private Stats() {}

  /**
   * Lower end of the one-sided Wilson score interval for {@code x} successes in {@code n} trials
   * ({@code z} = 2.326 for 99%, 3.090 for 99.9%). 0 when {@code n} is 0. Unlike the textbook
   * p ± z·√(p(1−p)/n), it behaves at 0 and at small counts.
   */
  static double wilsonLower(double x, double n, double z) {
    return n <= 0 ? 0 : Math.max(0, wilson(x, n, z, -1));
  }

  /** Upper end of the one-sided Wilson score interval; 1 when {@code n} is 0. */
  static double wilsonUpper(double x, double n, double z) {
    return n <= 0 ? 1 : Math.min(1, wilson(x, n, z, +1));
  }

  private static double wilson(double x, double n, double z, int sign) {
    double p = Math.min(1, Math.max(0, x / n));
    double z2 = z * z;
    double centre = p + z2 / (2 * n);
    double spread = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return (centre + sign * spread) / (1 + z2 / n);
  }

  /**
   * One-sided p-value that version A's rate of bad events exceeds version B's: given that
   * {@code badA + badB} bad events happened in total, how likely A would get at least {@code badA}
   * of them if both had the same rate, i.e. P(X ≥ badA) for X ~ Binomial(badA + badB, nA / (nA + nB)).
   * The conditional test for two Poisson rates; exact at any count, conservative for high rates.
   */
  static double worseThan(long badA, long nA, long badB, long nB) {
    if (nA <= 0 || nB <= 0) {
      return 1;
    }
    return binomialTailAtLeast(badA, badA + badB, (double) nA / (nA + nB));
  }

  /** P(X ≥ k) for X ~ Binomial(n, p), through the regularized incomplete beta function I_p(k, n−k+1). */
  static double binomialTailAtLeast(long k, long n, double p) {
    if (k <= 0) {
      return 1;
    }
    if (k > n) {
      return 0;
    }
    return regularizedBeta(p, k, n - k + 1);
  }

  /** I_x(a, b), by the continued fraction of Numerical Recipes §6.4 (modified Lentz). */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
    if (x < (a + 1) / (a + b + 2)) {
      return front * continuedFraction(x, a, b) / a;
    }
    return 1 - front * continuedFraction(1 - x, b, a) / b;
  }

  private static double continuedFraction(double x, double a, double b) {
    double tiny = 1e-300;
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 10_000; m++) {
      for (int pass = 0; pass < 2; pass++) {
        double num = pass == 0 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        d = 1 + num * d;
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        c = 1 + num / c;
        c = Math.abs(c) < tiny ? tiny : c;
        h *= d * c;
        if (pass == 1 && Math.abs(d * c - 1) < 1e-14) {
          return h;
        }
      }
    }
    return h;
  }

  /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};
    double y = x - 1;
    double sum = g[0];
    for (int i = 1; i < g.length; i++) {
      sum += g[i] / (y + i);
    }
    double t = y + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
