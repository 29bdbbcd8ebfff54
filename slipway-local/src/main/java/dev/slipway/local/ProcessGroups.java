package dev.slipway.local;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Signals and inspects process groups through {@code /proc} and {@code kill(1)}. Every process the
 * target starts leads its own session and group, so one signal reaches its children too.
 */
final class ProcessGroups {

  private static final long OWN_PGID = ProcStat.read(ProcessHandle.current().pid())
      .map(ProcStat::pgid).orElse(-1L);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration AFTER_KILL = Duration.ofSeconds(3);

  private ProcessGroups() {}

  /** A process identity that survives pid reuse. */
  record Key(long pid, long startTicks) {
    boolean alive() {
      return ProcStat.read(pid).filter(s -> s.alive() && s.startTicks() == startTicks).isPresent();
    }
  }

  /** Sends {@code signal} to every member of group {@code pgid}. Never to our own group or init's. */
  static void signal(long pgid, Signal signal) {
    if (pgid <= 1 || pgid == OWN_PGID) {
      throw new IllegalArgumentException("refusing to signal process group " + pgid);
    }
    kill(signal, "-" + pgid);
  }

  /** Sends {@code signal} to single processes. */
  static void signalEach(Iterable<Key> processes, Signal signal) {
    List<String> pids = new ArrayList<>();
    for (Key k : processes) {
      if (k.pid() > 1 && k.alive()) {
        pids.add(Long.toString(k.pid()));
      }
    }
    if (!pids.isEmpty()) {
      kill(signal, pids.toArray(String[]::new));
    }
  }

  private static void kill(Signal signal, String... targets) {
    List<String> cmd = new ArrayList<>(List.of("kill", "-s", signal.name(), "--"));
    cmd.addAll(List.of(targets));
    try {
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      // kill fails when a target is already gone; that is the outcome we want, so its code is moot.
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot run kill(1)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Live members of group {@code pgid}. */
  static List<ProcStat> members(long pgid) {
    return ProcStat.all().stream().filter(s -> s.pgid() == pgid).toList();
  }

  /**
   * The group's live members plus all their descendants, wherever those moved (PostgreSQL's children
   * each start their own session, so the group alone does not reach them).
   */
  static Set<Key> family(long pgid) {
    List<ProcStat> all = ProcStat.all();
    Map<Long, List<ProcStat>> children = new HashMap<>();
    for (ProcStat s : all) {
      children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
    }
    Set<Key> out = new HashSet<>();
    List<ProcStat> todo = new ArrayList<>(all.stream().filter(s -> s.pgid() == pgid).toList());
    while (!todo.isEmpty()) {
      ProcStat s = todo.removeLast();
      if (out.add(new Key(s.pid(), s.startTicks()))) {
        todo.addAll(children.getOrDefault(s.pid(), List.of()));
      }
    }
    return out;
  }

  /**
   * Stops a group: {@code first} to the group, up to {@code grace} for it and everything it started
   * to exit, then KILL to whatever is left.
   *
   * @return the processes still alive at the end (empty when all went away)
   */
  static Set<Key> terminate(long pgid, Signal first, Duration grace) {
    Set<Key> family = family(pgid);
    if (family.isEmpty()) {
      return Set.of();
    }
    signal(pgid, first);
    if (awaitGone(pgid, family, grace)) {
      return Set.of();
    }
    signal(pgid, Signal.KILL);
    signalEach(family, Signal.KILL);
    awaitGone(pgid, family, AFTER_KILL);
    return survivors(pgid, family);
  }

  /** Waits until the group and the given processes are gone; polls, since none of them is our child. */
  static boolean awaitGone(long pgid, Set<Key> family, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      if (survivors(pgid, family).isEmpty()) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  static Set<Key> survivors(long pgid, Set<Key> family) {
    Set<Key> left = new HashSet<>();
    for (ProcStat s : members(pgid)) {
      left.add(new Key(s.pid(), s.startTicks()));
    }
    for (Key k : family) {
      if (k.alive()) {
        left.add(k);
      }
    }
    return left;
  }
}
