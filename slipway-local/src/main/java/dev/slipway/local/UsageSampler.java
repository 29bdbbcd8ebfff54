package dev.slipway.local;

import dev.slipway.api.ResourceUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Measures what each service's instances use while they run here: every {@link #INTERVAL} the
 * resident memory of each instance's whole process tree and the CPU time it used since the last
 * sample. Per service it keeps the peaks and a CPU histogram, added to what earlier sessions
 * measured, and writes them to {@code .slipway/state/usage.json} ({@link ResourceUsage}) through a
 * temporary file and an atomic rename, so a crash leaves the previous version.
 *
 * <p>CPU in an instance's first {@link #WARM_UP} counts towards the maximum but not the percentiles:
 * a JVM's start-up burns several cores for seconds, which says nothing about the request it needs.
 */
final class UsageSampler {
  static final Duration INTERVAL = Duration.ofSeconds(2);
  static final Duration WARM_UP = Duration.ofSeconds(20);
  /** Writes every this many samples (and at close): at most 10 s of measurements lost to a crash. */
  static final int WRITE_EVERY = 5;
  private static final System.Logger LOG = System.getLogger(UsageSampler.class.getName());

  /** An instance to sample: its process group leader's pid (-1 while none runs). */
  record Subject(String id, String service, String release, long pid, Instant startedAt) {}

  private final Path stateDir;
  private final Supplier<List<Subject>> subjects;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final Map<String, Totals> services = new LinkedHashMap<>();
  private final Map<String, Previous> previous = new HashMap<>();
  private long lastTick;
  private int ticks;
  private boolean dirty;

  private record Previous(long nanos, long pid, TreeUsage usage) {}

  /** One service's measurements as they grow. */
  private static final class Totals {
    long samples;
    long sampledNanos;
    long peakRss;
    long peakHwm;
    int cpuMax;
    final TreeMap<Integer, Long> cpu = new TreeMap<>();
    final LinkedHashSet<String> releases = new LinkedHashSet<>();
    String first;
    String last;

    static Totals of(ResourceUsage.Service s) {
      Totals t = new Totals();
      t.samples = s.samples();
      t.sampledNanos = Duration.ofSeconds(s.sampledSeconds()).toNanos();
      t.peakRss = s.peakRssBytes();
      t.peakHwm = s.peakHwmBytes();
      t.cpuMax = s.cpuMaxMillis();
      t.cpu.putAll(s.cpuHistogram());
      t.releases.addAll(s.releases());
      t.first = s.firstSampled();
      t.last = s.lastSampled();
      return t;
    }

    ResourceUsage.Service view() {
      return new ResourceUsage.Service(samples, Duration.ofNanos(sampledNanos).toSeconds(), peakRss, peakHwm, cpuMax,
          cpu, new ArrayList<>(releases), first, last);
    }
  }

  /** Starts from what {@code stateDir} already holds, so measurements add up across sessions. */
  UsageSampler(Path stateDir, Supplier<List<Subject>> subjects) {
    this.stateDir = stateDir;
    this.subjects = subjects;
    ResourceUsage.read(stateDir).services().forEach((name, s) -> services.put(name, Totals.of(s)));
  }

  /** Takes one sample of every instance; skipped when the previous one is still running. */
  void tick() {
    if (!lock.tryLock()) {
      return;
    }
    try {
      sampleLocked(System.nanoTime(), Instant.now());
      if (dirty && (++ticks == 2 || ticks % WRITE_EVERY == 0)) {
        writeLocked();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "resource sampling failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Writes what was measured, if anything changed since the last write (at close and for tests). */
  void flush() {
    lock.lock();
    try {
      if (dirty) {
        writeLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /** What was measured so far, this session's samples included. */
  ResourceUsage usage() {
    lock.lock();
    try {
      Map<String, ResourceUsage.Service> out = new LinkedHashMap<>();
      services.forEach((name, t) -> out.put(name, t.view()));
      return new ResourceUsage(ResourceUsage.VERSION, out);
    } finally {
      lock.unlock();
    }
  }

  private void sampleLocked(long nanos, Instant now) {
    List<Subject> running = subjects.get().stream().filter(s -> s.pid() > 0).toList();
    List<ProcStat> all = running.isEmpty() ? List.of() : ProcStat.all();
    Map<Long, List<ProcStat>> children = TreeUsage.children(all);
    Set<String> sampled = new HashSet<>();
    Set<String> seen = new HashSet<>();
    for (Subject s : running) {
      TreeUsage u = TreeUsage.of(s.pid(), all, children);
      if (u.cpuTicks().isEmpty()) {
        continue; // exited between the look-up and now
      }
      seen.add(s.id());
      Totals t = services.computeIfAbsent(s.service(), k -> new Totals());
      t.samples++;
      t.peakRss = Math.max(t.peakRss, u.rssBytes());
      t.peakHwm = Math.max(t.peakHwm, u.hwmBytes());
      if (t.releases.size() < ResourceUsage.Service.MAX_RELEASES || t.releases.contains(s.release())) {
        t.releases.add(s.release());
      }
      String at = now.toString();
      t.first = t.first == null ? at : t.first;
      t.last = at;
      Previous p = previous.get(s.id());
      long elapsedMillis = p == null ? 0 : (nanos - p.nanos()) / 1_000_000;
      if (p != null && p.pid() == s.pid() && elapsedMillis >= INTERVAL.toMillis() / 4) {
        int millicores = (int) Math.min(Integer.MAX_VALUE,
            u.cpuTicksSince(p.usage()) * TreeUsage.TICK_MILLIS * 1000 / elapsedMillis);
        t.cpuMax = Math.max(t.cpuMax, millicores);
        Instant intervalStart = now.minusMillis(elapsedMillis);
        if (s.startedAt() != null && !intervalStart.isBefore(s.startedAt().plus(WARM_UP))) {
          t.cpu.merge(ResourceUsage.cpuBucket(millicores), 1L, Long::sum);
        }
      }
      previous.put(s.id(), new Previous(nanos, s.pid(), u));
      sampled.add(s.service());
      dirty = true;
    }
    previous.keySet().retainAll(seen);
    long interval = lastTick == 0 ? 0 : Math.min(nanos - lastTick, 2 * INTERVAL.toNanos());
    for (String service : sampled) {
      services.get(service).sampledNanos += interval;
    }
    lastTick = nanos;
  }

  private void writeLocked() {
    Map<String, ResourceUsage.Service> out = new LinkedHashMap<>();
    services.forEach((name, t) -> out.put(name, t.view()));
    try {
      new ResourceUsage(ResourceUsage.VERSION, out).write(stateDir);
      dirty = false;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot write " + stateDir.resolve(dev.slipway.api.ApiPaths.USAGE_FILE)
          + ": " + e.getMessage());
    }
  }
}
