package dev.slipway.kubernetes;

import dev.slipway.store.DeploymentPhase;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The commits of a GitOps environment as its history: each commit Slipway makes names the service,
 * release and reason on its first line and carries trailers a later run reads back
 * ({@code Slipway-Release: api r3}), so {@code history} and {@code status} need only the repository.
 */
final class GitOpsCommits {
  static final String RELEASE = "Slipway-Release";
  static final String IMAGE = "Slipway-Image";
  static final String STRATEGY = "Slipway-Strategy";
  static final String PHASE = "Slipway-Phase";
  static final String STATE = "Slipway-State";
  static final String STEP = "Slipway-Step";
  static final String REASON = "Slipway-Reason";
  static final String BY = "Slipway-By";
  static final String DIGEST = "Slipway-Config-Digest";
  static final String ENVIRONMENT = "Slipway-Environment";
  /** What analysis measured: {@code canary.errorRate=0.052 canary.requests=1000 …} on one line. */
  static final String MEASUREMENTS = "Slipway-Measurements";

  private GitOpsCommits() {}

  /**
   * One commit's release facts.
   *
   * @param environment the environment the commit is for (several may share a repository)
   * @param state       {@code in-progress}, {@code live}, {@code rolled-back} or {@code failed}
   * @param step        the strategy step the commit put in place, -1 for a whole release
   * @param reason      why: {@code deploy}, {@code promote}, {@code rollback to r1}, {@code abort}
   * @param when        the commit's time; {@code commit} its id (both null before it is made)
   * @param measurements what analysis measured, by name (empty when nothing was judged)
   */
  record Entry(String environment, String service, int revision, String image, String strategy,
      DeploymentPhase phase, String state, int step, String reason, String by, String configDigest,
      Instant when, String commit, Map<String, Double> measurements) {

    Entry {
      measurements = measurements == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(measurements));
    }

    String id() {
      return "r" + revision;
    }

    Entry committed(Instant at, String id) {
      return new Entry(environment, service, revision, image, strategy, phase, state, step, reason, by,
          configDigest, at, id, measurements);
    }

    Entry measured(Map<String, Double> values) {
      return new Entry(environment, service, revision, image, strategy, phase, state, step, reason, by,
          configDigest, when, commit, values);
    }
  }

  /** The full message: {@code subject}, a blank line, then the trailers. */
  static String message(String subject, Entry e) {
    Map<String, String> t = new LinkedHashMap<>();
    t.put(ENVIRONMENT, e.environment());
    t.put(RELEASE, e.service() + " " + e.id());
    t.put(IMAGE, e.image());
    t.put(STRATEGY, e.strategy());
    t.put(PHASE, e.phase().name().toLowerCase(java.util.Locale.ROOT));
    t.put(STATE, e.state());
    t.put(STEP, Integer.toString(e.step()));
    t.put(REASON, e.reason());
    t.put(BY, e.by());
    t.put(DIGEST, e.configDigest());
    if (!e.measurements().isEmpty()) {
      StringBuilder m = new StringBuilder();
      e.measurements().forEach((k, v) -> m.append(m.isEmpty() ? "" : " ").append(k).append('=').append(number(v)));
      t.put(MEASUREMENTS, m.toString());
    }
    StringBuilder out = new StringBuilder(subject.strip()).append("\n\n");
    // Trailers are one line each: a value with a newline would end the block and be lost.
    t.forEach((k, v) -> {
      if (v != null) {
        out.append(k).append(": ").append(v.replace('\n', ' ').strip()).append('\n');
      }
    });
    return out.toString();
  }

  /** The release facts of a commit Slipway made for {@code environment}, or empty for any other commit. */
  static Optional<Entry> parse(RevCommit c, String environment) {
    Map<String, String> t = new LinkedHashMap<>();
    for (FooterLine f : c.getFooterLines()) {
      if (f.getKey().startsWith("Slipway-")) {
        t.putIfAbsent(f.getKey(), f.getValue().strip());
      }
    }
    String release = t.get(RELEASE);
    if (release == null || !environment.equals(t.get(ENVIRONMENT))) {
      return Optional.empty();
    }
    List<String> parts = List.of(release.split(" "));
    if (parts.size() != 2 || !parts.get(1).matches("r[0-9]{1,9}")) {
      return Optional.empty();
    }
    DeploymentPhase phase;
    int step;
    try {
      phase = DeploymentPhase.valueOf(t.getOrDefault(PHASE, "done").toUpperCase(java.util.Locale.ROOT));
      step = Integer.parseInt(t.getOrDefault(STEP, "-1"));
    } catch (IllegalArgumentException e) {
      // Someone edited a trailer by hand: the commit is not one this code can resume from.
      return Optional.empty();
    }
    return Optional.of(new Entry(environment, parts.get(0), Integer.parseInt(parts.get(1).substring(1)),
        t.get(IMAGE), t.getOrDefault(STRATEGY, "rolling"), phase, t.getOrDefault(STATE, "live"), step,
        t.get(REASON), t.get(BY), t.get(DIGEST), Instant.ofEpochSecond(c.getCommitTime()), c.getName(),
        measurements(t.get(MEASUREMENTS))));
  }

  /** {@code a=1 b=0.5} → {@code {a: 1.0, b: 0.5}}; a malformed pair is left out. */
  static Map<String, Double> measurements(String trailer) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (trailer != null) {
      for (String pair : trailer.strip().split("\\s+")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          try {
            out.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
          } catch (NumberFormatException e) {
            // Edited by hand: the other values still read.
          }
        }
      }
    }
    return out;
  }

  /** A measurement as written: whole numbers without {@code .0}. */
  private static String number(Double v) {
    return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString(v.longValue()) : v.toString();
  }

  /**
   * The service's releases from the branch's commits (newest first), one per revision: its facts from
   * its newest commit, its start from its oldest. The newest commit that made a release live marks it
   * {@code live}; releases live before it read {@code superseded}.
   */
  static List<ClusterRelease> releases(List<RevCommit> log, String environment, String service) {
    Map<Integer, Entry> newest = new LinkedHashMap<>();
    Map<Integer, Instant> started = new java.util.HashMap<>();
    for (RevCommit c : log) {
      parse(c, environment).filter(e -> e.service().equals(service)).ifPresent(e -> {
        newest.putIfAbsent(e.revision(), e);
        started.put(e.revision(), e.when());
      });
    }
    List<ClusterRelease> out = new java.util.ArrayList<>();
    boolean liveSeen = false;
    for (Entry e : newest.values()) {
      String state = e.state();
      if ("live".equals(state)) {
        state = liveSeen ? "superseded" : "live";
        liveSeen = true;
      }
      boolean ended = e.phase() == DeploymentPhase.DONE;
      out.add(new ClusterRelease(service, e.revision(), e.image(), e.configDigest(), e.strategy(), e.phase(),
          state, e.reason(), e.step(), e.measurements(), started.get(e.revision()), ended ? e.when() : null, e.by()));
    }
    out.sort(java.util.Comparator.comparing(ClusterRelease::started).thenComparing(ClusterRelease::revision).reversed());
    return out;
  }

  /** The newest commit of each of the service's releases, newest first (what rollback and resume read). */
  static List<Entry> entries(List<RevCommit> log, String environment, String service) {
    Map<Integer, Entry> newest = new LinkedHashMap<>();
    for (RevCommit c : log) {
      parse(c, environment).filter(e -> e.service().equals(service)).ifPresent(e -> newest.putIfAbsent(e.revision(), e));
    }
    return List.copyOf(newest.values());
  }

  /** The newest commit that made {@code revision} live, or empty (it never went live). */
  static Optional<Entry> liveCommit(List<RevCommit> log, String environment, String service, int revision) {
    for (RevCommit c : log) {
      Optional<Entry> e = parse(c, environment).filter(x -> x.service().equals(service) && x.revision() == revision
          && x.phase() == DeploymentPhase.DONE && "live".equals(x.state()));
      if (e.isPresent()) {
        return e;
      }
    }
    return Optional.empty();
  }
}
