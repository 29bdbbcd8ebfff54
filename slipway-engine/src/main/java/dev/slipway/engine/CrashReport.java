package dev.slipway.engine;

import dev.slipway.engine.runtime.CrashExplanation;
import dev.slipway.engine.runtime.Instance;
import dev.slipway.store.DeploymentState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance that crashed, as every report of it says so: its exits counted one way ("keeps crashing
 * (5 exits)") and the lines of its log that explain them, masked. The same words go to events, the
 * deployment's reason, {@code history}, {@code status} and {@code up}'s failure.
 *
 * @param instance    the instance id, e.g. {@code api-r3-1}
 * @param exits       how often its process ended on its own ({@link Instance#exits()})
 * @param explanation what its log says, masked
 */
record CrashReport(String instance, int exits, CrashExplanation explanation) {

  /** "keeps crashing (5 exits)": how a crash loop is named everywhere. */
  String keepsCrashing() {
    return "keeps crashing (" + exits(exits) + ")";
  }

  static String exits(int n) {
    return n + (n == 1 ? " exit" : " exits");
  }

  /** The rollout's reason: "candidate api-r3-1 keeps crashing (5 exits): FATAL: password authentication failed…". */
  String reason() {
    return "candidate " + instance + " " + keepsCrashing() + ": " + explanation.summary();
  }

  /** Stored with the deployment (shown whole by {@code history --json}): {@code crash: {instance, exits, cause, log}}. */
  Map<String, Object> measurements() {
    Map<String, Object> crash = new LinkedHashMap<>();
    crash.put("instance", instance);
    crash.put("exits", exits);
    crash.put("cause", explanation.summary());
    crash.put("log", explanation.lines());
    return Map.of("crash", crash);
  }

  /** Ends a rollout because of this crash: back to the stable release. */
  RolloutFailed failure() {
    return new RolloutFailed(DeploymentState.ROLLED_BACK, reason(), measurements());
  }

  /** Event details: {@code exits}, {@code cause}, and the explaining lines under {@code log}. */
  Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("exits", exits);
    d.put("cause", explanation.summary());
    d.put("log", explanation.lines());
    return d;
  }
}
