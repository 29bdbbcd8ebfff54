package dev.slipway.engine.runtime;

import java.time.Duration;
import java.util.Map;

/** A started backing service (a database, a cache) and how to reach it. */
public interface BackingService {

  String name();

  /**
   * The values references resolve to: {@code url}, {@code jdbcUrl} (databases), {@code host},
   * {@code port}, {@code username}, {@code password}, {@code database}. Passwords are real values;
   * callers mask them for display.
   */
  Map<String, String> endpoint();

  /** Runs a real check (a query, a PING) and says whether it answered correctly. */
  boolean healthy();

  /** The process id when the target runs it, or -1 (external, container). */
  long pid();

  ProcessState state();

  /** Restarts so far (crashes of a supervised server). */
  int restarts();

  /** Stops it; data stays unless the caller deletes it. Idempotent. */
  void stop(Duration grace);
}
