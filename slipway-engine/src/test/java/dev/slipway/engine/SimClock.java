package dev.slipway.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Simulated time for engine tests. Time stands still while any engine thread works, and jumps to the
 * next sleeper's wake-up as soon as every engine thread waits (sleeps on this clock, or waits for a lock
 * or a future): a ten-minute deadline passes in a few milliseconds, and no test sleeps on the wall
 * clock. Engine threads are the ones started through {@link #start} (or through an {@link Engine} view).
 */
final class SimClock implements EngineClock {
  static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");
  private final ReentrantLock lock = new ReentrantLock();
  private final PriorityQueue<Sleeper> sleepers = new PriorityQueue<>();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  /** Sleepers woken by the last advance that have not run yet: time waits for them. */
  private final AtomicInteger pending = new AtomicInteger();
  /** Bumped by every sleep and every wake-up, so the driver sees work it could miss between two looks. */
  private final AtomicLong activity = new AtomicLong();
  private final AtomicLong advances = new AtomicLong();
  private volatile long nanos;
  private volatile boolean closed;
  private final Thread driver;

  /**
   * The thread that makes the clock (the test's own) counts as an engine thread too: while it calls the
   * engine (a deploy that writes to the store, say) time stands still, as it does for the engine's.
   */
  SimClock() {
    threads.add(Thread.currentThread());
    driver = Thread.ofPlatform().daemon().name("sim-clock").start(this::drive);
  }

  @Override
  public Instant now() {
    return EPOCH.plusNanos(nanos);
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  /** Simulated time since the clock was made. */
  Duration elapsed() {
    return Duration.ofNanos(nanos);
  }

  long advances() {
    return advances.get();
  }

  @Override
  public void sleep(Duration d) throws InterruptedException {
    sleep(d, null);
  }

  void sleep(Duration d, Engine engine) throws InterruptedException {
    sleep(d, engine, Long.MAX_VALUE);
  }

  /** Sleeps {@code d} of simulated time, but gives up at {@code realDeadline} (System.nanoTime()): false then. */
  private boolean sleep(Duration d, Engine engine, long realDeadline) throws InterruptedException {
    if (engine != null) {
      engine.checkAlive();
    }
    long wakeAt = nanos + Math.max(1, d.toNanos());
    Sleeper s = new Sleeper(wakeAt, Thread.currentThread());
    lock.lock();
    try {
      sleepers.add(s);
      activity.incrementAndGet();
    } finally {
      lock.unlock();
    }
    try {
      while (!s.due) {
        if (realDeadline == Long.MAX_VALUE) {
          LockSupport.park(this);
        } else {
          LockSupport.parkNanos(this, 100_000_000L);
          if (!s.due && System.nanoTime() > realDeadline) {
            lock.lock();
            try {
              if (!s.due) {
                sleepers.remove(s);
                return false;
              }
            } finally {
              lock.unlock();
            }
          }
        }
        if (Thread.interrupted()) {
          lock.lock();
          try {
            if (!s.due) {
              sleepers.remove(s);
              throw new InterruptedException();
            }
          } finally {
            lock.unlock();
          }
          // Woken and interrupted at once: the wake-up counts, the interrupt stays for the next wait.
          Thread.currentThread().interrupt();
        }
      }
    } finally {
      if (s.due) {
        pending.decrementAndGet();
        activity.incrementAndGet();
      }
    }
    if (engine != null) {
      engine.checkAlive();
    }
    return true;
  }

  @Override
  public Thread start(String name, Runnable task) {
    return start(name, task, null);
  }

  Thread start(String name, Runnable task, Engine engine) {
    Thread t = Thread.ofVirtual().name(name).unstarted(() -> {
      try {
        task.run();
      } catch (Halted h) {
        // This engine was halted: its threads end wherever they were.
      } finally {
        threads.remove(Thread.currentThread());
        activity.incrementAndGet();
      }
    });
    threads.add(t);
    if (engine != null) {
      engine.threads.add(t);
    }
    t.start();
    return t;
  }

  /**
   * Waits (in simulated time, from the calling test thread) until {@code condition} holds; fails after
   * {@code max} of simulated time, or 60 s of real time should time stop moving altogether.
   */
  void await(String what, BooleanSupplier condition, Duration max) {
    long until = nanos + max.toNanos();
    long realDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (nanos > until) {
        throw new AssertionError("not within " + max + " of simulated time: " + what);
      }
      try {
        if (!sleep(Duration.ofMillis(50), null, realDeadline)) {
          throw new AssertionError("simulated time stood still (at " + elapsed() + "): " + what + "; threads: "
              + describe());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + what);
      }
    }
  }

  /** A view for one engine: its threads, and a halt that ends them like {@code kill -9} ends a process. */
  Engine engine() {
    return new Engine();
  }

  void close() {
    closed = true;
    driver.interrupt();
  }

  private void drive() {
    long seenActivity = -1;
    int idleLooks = 0;
    while (!closed) {
      LockSupport.parkNanos(50_000);
      long a = activity.get();
      if (pending.get() == 0 && allWaiting() && a == seenActivity) {
        if (++idleLooks >= 2) {
          advance();
          idleLooks = 0;
        }
      } else {
        idleLooks = 0;
      }
      seenActivity = a;
    }
  }

  private boolean allWaiting() {
    for (Thread t : threads) {
      Thread.State st = t.getState();
      if (st == Thread.State.RUNNABLE || st == Thread.State.NEW) {
        return false;
      }
    }
    return true;
  }

  private void advance() {
    List<Sleeper> due = new ArrayList<>();
    lock.lock();
    try {
      Sleeper first = sleepers.peek();
      if (first == null) {
        return;
      }
      nanos = Math.max(nanos, first.wakeAt);
      while (!sleepers.isEmpty() && sleepers.peek().wakeAt <= nanos) {
        Sleeper s = sleepers.poll();
        // Marked due under the lock: a sleeper that gives up (interrupted, as a halt does, or past its
        // real deadline) decides under the same lock, so it either counts this wake-up or was never due.
        // Marked after the lock, a halted thread could give up in between and leave "pending" raised
        // for good, and time would stand still.
        s.due = true;
        due.add(s);
      }
      pending.addAndGet(due.size());
      advances.incrementAndGet();
    } finally {
      lock.unlock();
    }
    for (Sleeper s : due) {
      LockSupport.unpark(s.thread);
    }
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    for (Thread t : threads) {
      b.append("\n").append(t.getName()).append('=').append(t.getState());
      if (t.getState() == Thread.State.RUNNABLE) {
        for (StackTraceElement e : t.getStackTrace()) {
          b.append("\n    at ").append(e);
        }
      }
    }
    b.append('\n');
    return b.append("pending=").append(pending.get()).append(" sleepers=").append(sleepers.size()).toString();
  }

  private static final class Sleeper implements Comparable<Sleeper> {
    private static final AtomicLong SEQ = new AtomicLong();
    final long wakeAt;
    final long seq = SEQ.incrementAndGet();
    final Thread thread;
    volatile boolean due;

    Sleeper(long wakeAt, Thread thread) {
      this.wakeAt = wakeAt;
      this.thread = thread;
    }

    @Override
    public int compareTo(Sleeper o) {
      int c = Long.compare(wakeAt, o.wakeAt);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** One engine's clock: the shared time, its own threads, and a halt. */
  final class Engine implements EngineClock {
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile String halted;

    @Override
    public Instant now() {
      return SimClock.this.now();
    }

    @Override
    public long nanoTime() {
      return SimClock.this.nanoTime();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
      SimClock.this.sleep(d, this);
    }

    @Override
    public Thread start(String name, Runnable task) {
      checkAlive();
      return SimClock.this.start(name, task, this);
    }

    /**
     * Ends this engine's threads: each stops at its next wait or call, and no call of theirs reaches
     * anything. Not by interrupting them: a thread interrupted in the middle of a store write would
     * close the database file under the next engine.
     */
    void halt(String where) {
      if (halted == null) {
        halted = where;
      }
    }

    boolean halted() {
      return halted != null;
    }

    void checkAlive() {
      if (halted != null) {
        throw new Halted(halted);
      }
    }
  }
}
