package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One rollout per service and environment: a {@code coordination.k8s.io/v1} Lease {@code slipway-SERVICE}
 * in the namespace, held by one runner and renewed every third of its TTL while that runner lives. A
 * runner that died stops renewing; once the TTL has passed, the next one takes the Lease over, so
 * nothing is ever stuck waiting for a manual fix.
 *
 * <p>Every write carries the resourceVersion just read, so of runners racing for a free or expired
 * Lease exactly one wins (the API server, and the fabric8 mock, refuse a stale update with 409). Who
 * holds it is decided by a random token in an annotation, not by the holder's name, which two CI jobs
 * may share. Expiry compares the Lease's renewTime with this machine's clock: runners' clocks are
 * assumed to agree within a small part of the TTL (NTP).
 */
final class ClusterLease {
  static final String TOKEN = "slipway.dev/holder-token";

  private final ClusterConnection cluster;
  private final String runner;
  private final Duration ttl;
  /** Reads of a Lease so far: a waiting acquire reads on a change, never on a timer (its test counts). */
  private final AtomicLong reads = new AtomicLong();

  ClusterLease(ClusterConnection cluster) {
    this(cluster, cluster.options().runner(), cluster.options().leaseTtl());
  }

  ClusterLease(ClusterConnection cluster, String runner, Duration ttl) {
    this.cluster = cluster;
    // An empty holder reads as a free Lease to every other runner: never write one.
    this.runner = runner != null && !runner.isBlank() ? runner
        : System.getProperty("user.name") + " (pid " + ProcessHandle.current().pid() + ")";
    this.ttl = ttl.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : ttl;
  }

  static String name(String service) {
    return "slipway-" + service;
  }

  /**
   * Takes the service's Lease.
   *
   * @param queue how long to wait for another runner's Lease, or null to be refused at once
   * @throws KubernetesException with exit code {@link KubernetesException#HELD} naming the holder when it
   *                             is held (after {@code queue}, when given)
   */
  Held acquire(String service, Duration queue) throws KubernetesException {
    String name = name(service);
    Instant deadline = queue == null ? null : Instant.now().plus(queue);
    LeaseChanges changes = new LeaseChanges();
    Watch watch = null;
    try {
      while (true) {
        long seen = changes.count();
        Lease lease = get(name);
        Instant now = Instant.now();
        String token = UUID.randomUUID().toString();
        if (lease == null) {
          Lease created = create(name, token, now);
          if (created != null) {
            return new Held(service, token, created);
          }
          continue; // another runner created it first: see who
        }
        if (free(lease, now)) {
          Lease taken = takeOver(lease, token, now);
          if (taken != null) {
            return new Held(service, token, taken);
          }
          continue; // lost the race for it: see who won
        }
        if (deadline == null || !now.isBefore(deadline)) {
          throw held(service, lease, queue);
        }
        if (watch == null) {
          watch = watch(name, changes);
          continue; // read again now that no change can be missed
        }
        Instant until = expiry(lease).plusMillis(50);
        changes.awaitChangeAfter(seen, deadline.isBefore(until) ? deadline : until, watch == LeaseChanges.POLLING);
      }
    } finally {
      if (watch != null && watch != LeaseChanges.POLLING) {
        watch.close();
      }
    }
  }

  /** Who holds the service's Lease now ({@code alice@laptop since 2026-12-07T14:03:04Z}), if anyone does. */
  Optional<String> holder(String service) throws KubernetesException {
    Lease lease = get(name(service));
    if (lease == null || free(lease, Instant.now())) {
      return Optional.empty();
    }
    return Optional.of(lease.getSpec().getHolderIdentity() + " since " + at(acquired(lease)));
  }

  long reads() {
    return reads.get();
  }

  private Lease get(String name) throws KubernetesException {
    reads.incrementAndGet();
    try {
      return cluster.client().leases().inNamespace(cluster.namespace()).withName(name).get();
    } catch (KubernetesClientException e) {
      throw cluster.error(e, "get", "leases");
    }
  }

  private Lease create(String name, String token, Instant now) throws KubernetesException {
    Lease lease = new LeaseBuilder()
        .withNewMetadata().withName(name).withNamespace(cluster.namespace())
        .addToLabels(ReleaseRecords.MANAGED_BY, "slipway").addToAnnotations(TOKEN, token).endMetadata()
        .withNewSpec().withHolderIdentity(runner).withLeaseDurationSeconds(seconds())
        .withAcquireTime(time(now)).withRenewTime(time(now)).withLeaseTransitions(0).endSpec()
        .build();
    try {
      return cluster.client().leases().inNamespace(cluster.namespace()).resource(lease).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return null;
      }
      throw cluster.error(e, "create", "leases");
    }
  }

  private Lease takeOver(Lease lease, String token, Instant now) throws KubernetesException {
    int transitions = lease.getSpec().getLeaseTransitions() == null ? 0 : lease.getSpec().getLeaseTransitions();
    Lease next = new LeaseBuilder(lease)
        .editMetadata().addToAnnotations(TOKEN, token).endMetadata()
        .editSpec().withHolderIdentity(runner).withLeaseDurationSeconds(seconds())
        .withAcquireTime(time(now)).withRenewTime(time(now)).withLeaseTransitions(transitions + 1).endSpec()
        .build();
    try {
      // The resourceVersion read makes this conditional: of racing runners, one update succeeds.
      return cluster.client().leases().inNamespace(cluster.namespace()).resource(next).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return null;
      }
      throw cluster.error(e, "update", "leases");
    }
  }

  private Watch watch(String name, LeaseChanges changes) {
    try {
      return cluster.client().leases().inNamespace(cluster.namespace()).withName(name).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, Lease resource) {
          changes.signal();
        }

        @Override
        public void onClose(WatcherException cause) {
          changes.signal();
        }
      });
    } catch (KubernetesClientException e) {
      // Without a watch (no permission to watch leases), read again every second: slower, still correct.
      return LeaseChanges.POLLING;
    }
  }

  private KubernetesException held(String service, Lease lease, Duration queue) {
    String holder = lease.getSpec().getHolderIdentity();
    String since = at(acquired(lease));
    String expires = at(expiry(lease));
    String what = "Lease " + lease.getMetadata().getName() + " in namespace " + cluster.namespace();
    if (queue == null) {
      return new KubernetesException(service + " is being released by " + holder + " since " + since + " (" + what
          + "; it expires at " + expires + " unless renewed)", cluster.context(), cluster.namespace(),
          "wait for that rollout to end, or queue behind it: run the same command with --queue 10m; a runner "
              + "that died stops renewing, and its Lease expires by itself", KubernetesException.HELD);
    }
    return new KubernetesException("waited " + human(queue) + " for " + service + "'s " + what + "; " + holder
        + " still holds it (since " + since + ", expires at " + expires + " unless renewed)", cluster.context(),
        cluster.namespace(), "run again with a longer --queue, or see the rollout that holds it with the status "
            + "command", KubernetesException.HELD);
  }

  private static boolean free(Lease lease, Instant now) {
    String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    return holder == null || holder.isEmpty() || !now.isBefore(expiry(lease));
  }

  private static Instant expiry(Lease lease) {
    ZonedDateTime renewed = lease.getSpec().getRenewTime() != null ? lease.getSpec().getRenewTime()
        : lease.getSpec().getAcquireTime();
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    return renewed == null ? Instant.EPOCH : renewed.toInstant().plusSeconds(seconds == null ? 0 : seconds);
  }

  private static Instant acquired(Lease lease) {
    ZonedDateTime t = lease.getSpec().getAcquireTime() != null ? lease.getSpec().getAcquireTime()
        : lease.getSpec().getRenewTime();
    return t == null ? Instant.EPOCH : t.toInstant();
  }

  private int seconds() {
    return (int) Math.max(1, ttl.toSeconds());
  }

  static ZonedDateTime time(Instant t) {
    return ZonedDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static String at(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String human(Duration d) {
    return d.toMinutes() > 0 && d.toSecondsPart() == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
  }

  /**
   * A held Lease, renewed on a virtual thread every third of the TTL until {@link #close()}.
   */
  final class Held implements AutoCloseable {
    private final String service;
    private final String token;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stop = lock.newCondition();
    private final Thread renewer;
    private volatile Lease lease;
    private volatile Instant renewed;
    private volatile String lost;
    private volatile boolean closed;

    private Held(String service, String token, Lease lease) {
      this.service = service;
      this.token = token;
      this.lease = lease;
      this.renewed = Instant.now();
      this.renewer = Thread.ofVirtual().name("slipway-lease-" + service).start(this::renewLoop);
    }

    String service() {
      return service;
    }

    /** Throws when the Lease was lost: another runner took it over, or it could not be renewed within its TTL. */
    void check() throws KubernetesException {
      if (lost == null && !Instant.now().isBefore(renewed.plus(ttl))) {
        lost = "it was not renewed within its TTL of " + human(ttl) + " (last renewed at " + at(renewed) + ")";
      }
      if (lost != null) {
        throw new KubernetesException("lost the Lease " + name(service) + " in namespace " + cluster.namespace()
            + ": " + lost, cluster.context(), cluster.namespace(),
            "another runner may be acting on " + service + " now; see the status command before going on",
            KubernetesException.FAILED);
      }
    }

    private void renewLoop() {
      long period = Math.max(100, ttl.toMillis() / 3);
      while (true) {
        lock.lock();
        try {
          if (closed) {
            return;
          }
          stop.await(period, TimeUnit.MILLISECONDS);
          if (closed) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        } finally {
          lock.unlock();
        }
        if (gone()) {
          return; // the runner is ending: its Lease expires by itself, nothing to report
        }
        renewOnce();
        if (lost != null || gone()) {
          return;
        }
      }
    }

    /** Closed, or the runner's client is (the command has ended without closing us): nothing left to renew. */
    private boolean gone() {
      return closed || clientClosed();
    }

    private boolean clientClosed() {
      var http = cluster.client().getHttpClient();
      return http == null || http.isClosed();
    }

    /** One renewal; a network failure is tried again at the next period, until the TTL has passed. */
    void renewOnce() {
      try {
        Instant now = Instant.now();
        Lease next = new LeaseBuilder(lease).editSpec().withRenewTime(time(now)).endSpec().build();
        try {
          lease = cluster.client().leases().inNamespace(cluster.namespace()).resource(next).update();
          renewed = now;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 && e.getCode() != 404) {
            throw e;
          }
          Lease current = cluster.client().leases().inNamespace(cluster.namespace()).withName(name(service)).get();
          if (current == null || !mine(current)) {
            lost = current == null ? "it was deleted"
                : "taken over by " + current.getSpec().getHolderIdentity() + " at " + at(acquired(current));
            return;
          }
          lease = current; // changed, but still ours (a label edit): renew at the next period
        }
      } catch (RuntimeException e) {
        // A client closed under a renewal in flight says so with an IllegalStateException: the runner is ending.
        if (!gone() && !Instant.now().isBefore(renewed.plus(ttl))) {
          lost = "it could not be renewed within its TTL (" + e.getMessage() + ")";
        }
      }
    }

    private boolean mine(Lease l) {
      return l.getMetadata().getAnnotations() != null && token.equals(l.getMetadata().getAnnotations().get(TOKEN));
    }

    /**
     * Stops renewing and gives the Lease up (holder cleared, with the resourceVersion last written, so a
     * Lease another runner took over is left alone). When the cluster cannot be reached, the Lease
     * expires by itself after its TTL: that is the design, not a failure to report.
     */
    @Override
    public void close() {
      lock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        stop.signalAll();
      } finally {
        lock.unlock();
      }
      try {
        renewer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (lost != null || clientClosed()) {
        return;
      }
      try {
        Lease free = new LeaseBuilder(lease).editMetadata().removeFromAnnotations(TOKEN).endMetadata()
            .editSpec().withHolderIdentity(null).endSpec().build();
        cluster.client().leases().inNamespace(cluster.namespace()).resource(free).update();
      } catch (RuntimeException e) {
        // 409: another runner has it now (ours had expired); otherwise (unreachable, the client closed
        // meanwhile) it expires by itself.
      }
    }
  }
}
