package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.engine.runtime.Adopted;
import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Traffic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control plane is {@code kill -9}ed while its router, an instance and a Redis run; the data plane
 * keeps serving, and the next control plane takes everything over.
 */
class AdoptionIT {

  @TempDir
  Path base;
  @TempDir
  Path elsewhere;
  private Process controlPlane;
  private LocalTarget next;

  @AfterEach
  void noProcessLeftBehind() throws Exception {
    if (controlPlane != null) {
      controlPlane.destroyForcibly();
      controlPlane.waitFor(10, TimeUnit.SECONDS);
    }
    if (next != null) {
      next.close();
    }
    List<String> leftByClose = Procs.leftUnder(base);
    // Whatever a failed test left must not outlive it either.
    try (LocalTarget sweeper = newTarget()) {
      sweeper.cleanUpLeftovers();
    }
    assertThat(leftByClose).as("processes left running after close() of the adopting target").isEmpty();
    Procs.assertNothingLeft(base);
  }

  private LocalTarget newTarget() {
    return new LocalTarget("demo", base, base.resolve(".slipway"), new SecretMasker());
  }

  @Test
  void afterTheControlPlaneIsKilled_trafficNeverFails_andTheNextOneAdoptsEverything() throws Exception {
    String[] ready = startControlPlane();
    int port = Integer.parseInt(ready[1]);
    int front = Integer.parseInt(ready[2]);
    String url = "http://127.0.0.1:" + front + "/";
    Map<String, Long> pids = recordedPids();

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
      while (running.get()) {
        Http.Answer a = Http.get(url);
        if (a.status() == 200 && a.body().equals("api-r1-1 v1\n")) {
          ok.incrementAndGet();
        } else {
          failed.incrementAndGet();
          firstFailure.compareAndSet(null, a.status() + " " + a.body());
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    Procs.await(Duration.ofSeconds(5), () -> ok.get() >= 20);

    controlPlane.destroyForcibly(); // SIGKILL: no close(), no shutdown hooks
    controlPlane.waitFor(10, TimeUnit.SECONDS);
    int okBeforeAdoption = ok.get();
    Thread.sleep(300);
    assertThat(ok.get()).as("served while no control plane runs").isGreaterThan(okBeforeAdoption);

    long t0 = System.nanoTime();
    next = newTarget();
    Adopted adopted = next.adopt();
    long adoptMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(adopted.instances()).isEqualTo(Map.of("api-r1-1", port, "worker-r1-1", 0));
    assertThat(adopted.resources()).containsExactly("cache");
    assertThat(adopted.router()).isTrue();

    long t1 = System.nanoTime();
    BackingService cache = next.startBackingService(EmbeddedRedisIT.CACHE, null);
    Instance api = next.startInstance(AdoptionFixture.api(port));
    Traffic traffic = next.traffic();
    long reattachMs = (System.nanoTime() - t1) / 1_000_000;
    System.out.printf("adopt(): %d ms; reattach cache, api-r1-1 and the router: %d ms%n", adoptMs, reattachMs);

    assertThat(cache.pid()).isEqualTo(pids.get("cache"));
    assertThat(cache.healthy()).isTrue();
    assertThat(api.pid()).isEqualTo(pids.get("api-r1-1"));
    assertThat(api.restarts()).isZero();
    assertThat(Files.readString(base.resolve(".slipway/logs/api-r1-1.log")))
        .contains("--- slipway: adopted api-r1-1 (pid " + api.pid() + ")");
    assertThat(traffic.applied("api").route()).isEqualTo(AdoptionFixture.route(port));
    assertThat(traffic.frontPort("api")).isEqualTo(front);
    assertThat(recordedPids().get("router")).isEqualTo(pids.get("router"));
    assertThat(Files.readString(base.resolve(".slipway/logs/router.log")))
        .contains("--- slipway: adopted router (pid " + pids.get("router") + ")");

    List<String> stopped = next.stopUnclaimed();
    assertThat(stopped).containsExactly("stopped unclaimed worker-r1-1 (pgid " + pids.get("worker-r1-1") + ")");
    assertThat(Procs.alive(pids.get("worker-r1-1"))).isFalse();

    Thread.sleep(300);
    running.set(false);
    load.get(10, TimeUnit.SECONDS);
    System.out.printf("requests through the router: %d ok, %d failed%n", ok.get(), failed.get());
    assertThat(failed.get()).as("failed requests (first: %s)", firstFailure.get()).isZero();

    // Supervised like its own child from now on: killed, it is restarted.
    ProcessGroups.signal(api.pid(), Signal.KILL);
    assertThat(Procs.await(Duration.ofSeconds(10), () -> api.restarts() == 1 && api.pid() > 0
        && api.pid() != pids.get("api-r1-1"))).as("restarted after kill -9").isTrue();
    assertThat(Http.awaitOk(url, Duration.ofSeconds(20))).isTrue();
  }

  @Test
  void startInstance_withAnotherSpecThanTheAdoptedOne_replacesIt() throws Exception {
    String[] ready = startControlPlane("no-router");
    int port = Integer.parseInt(ready[1]);
    long oldPid = recordedPids().get("api-r1-1");
    controlPlane.destroyForcibly();
    controlPlane.waitFor(10, TimeUnit.SECONDS);

    next = newTarget();
    assertThat(next.adopt().router()).isFalse();
    var changed = AdoptionFixture.api(port);
    changed = new dev.slipway.engine.runtime.InstanceSpec(changed.service(), changed.instanceId(), changed.release(),
        "v2", changed.command(), null, Map.of("PORT", Integer.toString(port), "INSTANCE_ID", "api-r1-1",
        "APP_VERSION", "v2"), port, changed.stopTimeout());
    Instance api = next.startInstance(changed);

    assertThat(api.pid()).isNotEqualTo(oldPid);
    assertThat(Procs.alive(oldPid)).isFalse();
    assertThat(Http.awaitOk("http://127.0.0.1:" + port + "/", Duration.ofSeconds(20))).isTrue();
    assertThat(Http.get("http://127.0.0.1:" + port + "/").body()).isEqualTo("api-r1-1 v2\n");
    assertThat(Files.readString(base.resolve(".slipway/logs/api-r1-1.log"))).contains("not adopting api-r1-1");
  }

  @Test
  void startBackingService_forAnAdoptedPostgres_reattachesWithoutInitdb() throws Exception {
    controlPlane = new ProcessBuilder(RouterProcess.javaBinary(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), LeftoverFixture.class.getName(), base.toString(),
        "with-db").directory(elsewhere.toFile()).redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(controlPlane.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          for (String l; (l = out.readLine()) != null; ) {
            if (l.startsWith("started ")) {
              return l;
            }
          }
        } catch (java.io.IOException e) {
          return e.toString();
        }
        return "(ended)";
      }).get(60, TimeUnit.SECONDS);
      assertThat(line).startsWith("started ");
      controlPlane.destroyForcibly();
      controlPlane.waitFor(10, TimeUnit.SECONDS);
    }
    Map<String, Long> pids = recordedPids();
    long logSize = Files.size(base.resolve(".slipway/logs/db.log"));

    next = newTarget();
    assertThat(next.adopt().resources()).containsExactly("db");
    BackingService db = next.startBackingService(EmbeddedPostgresIT.DB, null);

    assertThat(db.pid()).isEqualTo(pids.get("db"));
    assertThat(db.healthy()).isTrue();
    String log = Files.readString(base.resolve(".slipway/logs/db.log")).substring((int) logSize);
    assertThat(log).contains("--- slipway: adopted db (pid " + db.pid() + ")").doesNotContain("initdb");
    assertThat(next.stopUnclaimed()).containsExactly("stopped unclaimed api-1 (pgid " + pids.get("api-1") + ")");
  }

  /** Starts the fixture control plane; returns its {@code ready <port> <front>} line split. */
  private String[] startControlPlane(String... options) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(RouterProcess.javaBinary(), "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m", "-cp", System.getProperty("java.class.path"),
        AdoptionFixture.class.getName(), base.toString()));
    cmd.addAll(List.of(options));
    controlPlane = new ProcessBuilder(cmd)
        .directory(elsewhere.toFile())
        .redirectErrorStream(true)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(controlPlane.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      StringBuilder seen = new StringBuilder();
      try {
        for (String l; (l = out.readLine()) != null; ) {
          if (l.startsWith("ready ")) {
            return l;
          }
          seen.append(l).append('\n');
        }
      } catch (java.io.IOException e) {
        seen.append(e);
      }
      return "(control plane ended without getting ready)\n" + seen;
    }).get(60, TimeUnit.SECONDS);
    assertThat(line).startsWith("ready ");
    // Keep draining its output, so it never blocks on a full pipe.
    Thread.ofVirtual().start(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (java.io.IOException e) {
        // it was killed
      }
    });
    return line.split(" ");
  }

  private Map<String, Long> recordedPids() throws Exception {
    var byName = new java.util.HashMap<String, Long>();
    for (ProcessRegistry.Entry e : new ProcessRegistry(base.resolve(".slipway/run/processes.json")).entries()) {
      byName.put(e.name(), e.pid());
    }
    return byName;
  }
}
