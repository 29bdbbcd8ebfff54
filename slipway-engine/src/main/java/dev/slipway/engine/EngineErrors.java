package dev.slipway.engine;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.store.StoreException;
import java.util.List;

/**
 * Turns what the layers below the engine throw into the engine's one exception, with the hint a user
 * acts on: a target's error keeps its subject, hint and log lines; a store's points at the control
 * plane's log; anything unexpected asks for a report.
 */
final class EngineErrors {
  private EngineErrors() {
  }

  static EngineException fromTarget(TargetException e) {
    return new EngineException(e.subject(), e.getMessage(), e.hint(), e.details(), e);
  }

  static EngineException fromStore(StoreException e) {
    return new EngineException(null, "state store: " + e.getMessage(), "see .slipway/logs/control-plane.log",
        List.of(), e);
  }

  static EngineException unexpected(String subject, String what, RuntimeException e) {
    return new EngineException(subject, "unexpected error during " + what + " of " + subject + ": " + e,
        "run with --stacktrace and report it", List.of(), e);
  }
}
