package dev.slipway.analysis;

import dev.slipway.model.CanaryStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class JudgeExperiment {
  static final Duration TICK = Duration.ofMillis(250);

  @Test
  void experiment() {
    CanaryStep.Analysis a = new CanaryStep.Analysis(0.01, Duration.ofMillis(300), Duration.ofMillis(500), 200,
        Duration.ofMinutes(5));
    // detection
    List<Double> detect = new ArrayList<>();
    int notFailed = 0;
    for (long seed = 1; seed <= 200; seed++) {
      SimulatedTraffic t = new SimulatedTraffic(seed).version("r1", 450, 0.005, 80, 0.6).version("r2", 50, 0.05, 80, 0.6);
      t.advance(Duration.ofSeconds(5));
      CanaryJudge j = new CanaryJudge(a, "r1", "r2", t.sample());
      long errorsAtStart = t.get("r2").errors;
      t.get("r2").firstError = null;
      Verdict v = null;
      for (int i = 0; i < 4 * 60 && !(v instanceof Verdict.Fail); i++) {
        t.advance(TICK);
        v = j.evaluate(t.sample());
      }
      if (v instanceof Verdict.Fail f) {
        detect.add(Duration.between(t.get("r2").firstError, t.now()).toMillis() / 1000.0);
      } else {
        notFailed++;
      }
    }
    Collections.sort(detect);
    System.out.println("detect n=" + detect.size() + " notFailed=" + notFailed + " median=" + detect.get(detect.size() / 2)
        + " p90=" + detect.get(detect.size() * 9 / 10) + " max=" + detect.get(detect.size() - 1));
    // false positives
    int fails = 0;
    int passes = 0;
    long evals = 0;
    List<Double> passAt = new ArrayList<>();
    for (long seed = 1; seed <= 200; seed++) {
      SimulatedTraffic t = new SimulatedTraffic(1000 + seed).version("r1", 450, 0.005, 80, 0.6).version("r2", 50, 0.005, 80, 0.6);
      t.advance(Duration.ofSeconds(5));
      CanaryJudge j = new CanaryJudge(a, "r1", "r2", t.sample());
      boolean passed = false;
      for (int i = 0; i < 4 * 180; i++) {
        t.advance(TICK);
        Verdict v = j.evaluate(t.sample());
        evals++;
        if (v instanceof Verdict.Fail f) {
          fails++;
          System.out.println("FP seed " + seed + " at " + i + ": " + f.reason());
          break;
        }
        if (v instanceof Verdict.Pass && !passed) {
          passed = true;
          passes++;
          passAt.add(i / 4.0);
        }
      }
    }
    Collections.sort(passAt);
    System.out.println("fp fails=" + fails + " evals=" + evals + " passes=" + passes + " passMedian=" + passAt.get(passAt.size() / 2)
        + " passP90=" + passAt.get(passAt.size() * 9 / 10) + " passMax=" + passAt.get(passAt.size() - 1));
  }
}
