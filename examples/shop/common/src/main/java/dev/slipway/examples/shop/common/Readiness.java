package dev.slipway.examples.shop.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether the service can do its job now: a set of named dependency checks, all of which must
 * pass. Results are cached for a short while so frequent probes (Slipway, Kubernetes, load
 * balancers) cost the dependencies at most one check per interval.
 */
public final class Readiness {

  /** One dependency check; throws when the dependency is not usable. */
  @FunctionalInterface
  public interface Check {
    /** Performs the check; should give up within a second or two. */
    void run() throws Exception;
  }

  private static final long CACHE_NANOS = 500_000_000L;
  private static final String STARTING = "starting";

  private final long startedNanos;
  private final Map<String, Check> checks = new LinkedHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  private volatile String startingReason = STARTING;
  private String cachedProblem;
  private long checkedAt;
  private boolean everChecked;
  private boolean loggedOnce;
  private String loggedProblem;

  /** Readiness of a service whose main() began at {@code startedNanos} ({@link System#nanoTime}). */
  public Readiness(long startedNanos) {
    this.startedNanos = startedNanos;
  }

  /** Adds a check, reported under {@code name} when it fails. Call before serving. */
  public Readiness add(String name, Check check) {
    checks.put(name, check);
    return this;
  }

  /** Marks start-up work (e.g. migrations) as done; until then the service is not ready. */
  public void markStarted() {
    startingReason = null;
  }

  /** Marks the service as not ready for good (shutting down). */
  public void markStopping() {
    startingReason = "shutting down";
  }

  /** Whether start-up work is still under way. */
  public boolean isStarting() {
    return startingReason == STARTING;
  }

  /** Null when ready, otherwise why not, e.g. {@code "redis: Connection refused"}. */
  public String problem() {
    String starting = startingReason;
    if (starting != null) {
      return starting;
    }
    lock.lock();
    try {
      long now = System.nanoTime();
      if (!everChecked || now - checkedAt > CACHE_NANOS) {
        cachedProblem = runChecks();
        checkedAt = System.nanoTime();
        everChecked = true;
        logChange(cachedProblem);
      }
      return cachedProblem;
    } finally {
      lock.unlock();
    }
  }

  private String runChecks() {
    for (Map.Entry<String, Check> check : checks.entrySet()) {
      try {
        check.getValue().run();
      } catch (Exception e) {
        return check.getKey() + ": " + Log.describe(e);
      }
    }
    return null;
  }

  /** Logs transitions only: probes arrive every second and would otherwise flood the log. */
  private void logChange(String problem) {
    if (loggedOnce && Objects.equals(problem, loggedProblem)) {
      return;
    }
    if (problem != null) {
      Log.warn("not ready: " + problem);
    } else if (loggedOnce) {
      Log.info("ready again");
    } else {
      // Shows how fast the service starts; JVM start-up itself (~0.1 s) comes on top.
      Log.info("ready, " + (System.nanoTime() - startedNanos) / 1_000_000 + " ms after main() began");
    }
    loggedOnce = true;
    loggedProblem = problem;
  }
}
