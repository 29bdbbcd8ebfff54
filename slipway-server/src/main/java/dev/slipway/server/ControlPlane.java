package dev.slipway.server;

import dev.slipway.api.ApiPaths;
import dev.slipway.api.ControlPlaneInfo;
import dev.slipway.api.DetachedNote;
import dev.slipway.api.DurableFiles;
import dev.slipway.api.EventKind;
import dev.slipway.api.EventView;
import dev.slipway.api.StatusView;
import dev.slipway.engine.EngineException;
import dev.slipway.engine.EngineSettings;
import dev.slipway.engine.EnvironmentLease;
import dev.slipway.engine.EventLog;
import dev.slipway.engine.StackRunner;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Target;
import dev.slipway.model.AppSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One application's control plane: runs the stack through the engine, serves the API, and stops
 * everything on {@code down}, SIGTERM or Ctrl-C. Lives as long as the stack, and as long as it
 * owns its environment: when it loses its lease, or fails to take over what a previous control
 * plane left running, it stops acting and exits without stopping anything, so the data plane keeps
 * serving and the next {@code up} takes over.
 */
final class ControlPlane {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
  private final AppSpec app;
  private final Path stateDir;
  private final SecretMasker masker;
  private final EventLog events;
  private final StackRunner runner;
  private final EnvironmentLease lease;
  private final PrintStream out;
  private final CountDownLatch shutdownRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final String startedAt = Instant.now().toString();
  private volatile boolean deleteVolumes;
  /** Why this control plane stops acting without stopping anything; null for an ordinary stop. */
  private volatile String detachReason;
  private volatile boolean running = true;
  private ApiServer api;
  private int port;

  /**
   * @param stateDir where this stack's files are ({@code .slipway/} beside the model, or a preview's own)
   * @param version  the version label of the releases the start creates, or null for their digest
   * @param lease    this control plane's lease on the environment; its fenced store is the one used
   */
  ControlPlane(AppSpec app, Path stateDir, String version, Target target, EnvironmentLease lease, SecretMasker masker,
      PrintStream out) {
    this.app = app;
    this.stateDir = stateDir;
    this.masker = masker;
    this.out = out;
    this.lease = lease;
    this.events = new EventLog(masker);
    this.runner = new StackRunner(app, target, lease.store(), events, masker, EngineSettings.defaults(),
        System.getenv());
    if (version != null) {
      runner.labelReleases(version);
    }
  }

  /** Runs until the stack is stopped. Returns the process exit code. */
  int run(int apiPort) throws IOException {
    events.subscribe(this::print);
    String token = HexFormat.of().formatHex(random());
    writePrivate(stateDir.resolve(ApiPaths.TOKEN_FILE), token);
    api = new ApiServer(this, token);
    port = api.start(apiPort);
    long pid = ProcessHandle.current().pid();
    Files.deleteIfExists(stateDir.resolve(ApiPaths.DETACHED_FILE)); // this one manages what runs now
    writeInfo(new ControlPlaneInfo(pid, ControlPlaneInfo.startTicksOf(pid), port, app.file().toString(),
        app.environment(), startedAt));
    Runtime.getRuntime().addShutdownHook(new Thread(this::onSignal, "slipway-shutdown"));
    events.emit(EventKind.INFO, null, "control plane " + pid + " serving http://127.0.0.1:" + port
        + " for " + app.name() + " (" + app.environment() + "), owner of environment " + app.environment()
        + " (lease token " + lease.lease().token() + ")");
    lease.onLost(this::leaseLost);
    int code = 0;
    try {
      if (detachReason == null) {
        runner.up();
      }
      shutdownRequested.await();
    } catch (EngineException e) {
      code = 1;
      if (detachReason == null && !shuttingDown.get() && runner.tookOver()) {
        detachReason = "taking over " + app.name() + " failed: " + e.getMessage();
      } else if (detachReason == null && !shuttingDown.get()) {
        events.emit(EventKind.WARNING, null, "stopping what was started");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String detached = detachReason;
    if (detached != null) {
      code = 1;
      runner.detach(detached);
      lease.store().close(); // and no request that still comes in writes anything
      // UP_FAILED while taking over: `up` reports it as the reason it failed.
      events.emit(lease.isLost() ? EventKind.WARNING : EventKind.UP_FAILED, null, detached
          + "; this control plane stops acting and stops nothing: the router, instances and backing services"
          + " keep serving as they were", Map.of("hint", "`slipway up` takes over again; `slipway down` stops everything"));
      try {
        writeJson(stateDir.resolve(ApiPaths.DETACHED_FILE), new DetachedNote(ProcessHandle.current().pid(),
            Instant.now().toString(), masker.mask(detached)));
      } catch (IOException e) {
        events.emit(EventKind.WARNING, null, "could not leave a note for `slipway status`: " + e.getMessage());
      }
    } else {
      runner.down(deleteVolumes);
    }
    running = false;
    events.emit(EventKind.SHUTDOWN, null, detached == null ? "control plane exiting"
        : "control plane exiting; " + app.name() + " keeps running without it");
    sleepQuietly(300);
    api.stop();
    Files.deleteIfExists(stateDir.resolve(ApiPaths.INFO_FILE));
    Files.deleteIfExists(stateDir.resolve(ApiPaths.TOKEN_FILE));
    finished.countDown();
    return code;
  }

  /** Asks the control plane to stop everything and exit; returns at once. */
  void requestShutdown(boolean volumes) {
    if (shuttingDown.compareAndSet(false, true)) {
      deleteVolumes = volumes;
      runner.abort("stopped on request");
      shutdownRequested.countDown();
    }
  }

  /** From the lease's renewer: another control plane may act on the environment now, so this one stops. */
  private void leaseLost(String reason) {
    if (detachReason == null) {
      detachReason = reason;
    }
    runner.abort(reason);
    shutdownRequested.countDown();
  }

  private void onSignal() {
    if (finished.getCount() == 0) {
      return;
    }
    requestShutdown(false);
    try {
      finished.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  StatusView status() {
    return runner.status(new StatusView.ControlPlaneView(ProcessHandle.current().pid(),
        "http://127.0.0.1:" + port, app.file().toString(), startedAt));
  }

  EventLog events() {
    return events;
  }

  StackRunner runner() {
    return runner;
  }

  SecretMasker masker() {
    return masker;
  }

  boolean isRunning() {
    return running;
  }

  private void print(EventView e) {
    StringBuilder line = new StringBuilder();
    line.append(LocalTime.now().format(CLOCK)).append(' ').append(e.kind()).append(' ').append(e.message());
    Object hint = e.details().get("hint");
    if (hint instanceof String h && !h.isEmpty()) {
      line.append("\n    ").append(h);
    }
    if (e.details().get("log") instanceof List<?> log) {
      for (Object l : log) {
        line.append("\n    | ").append(l);
      }
    }
    out.println(line);
    out.flush();
  }

  private void writeInfo(ControlPlaneInfo info) throws IOException {
    writeJson(stateDir.resolve(ApiPaths.INFO_FILE), info);
  }

  private static void writeJson(Path file, Object value) throws IOException {
    DurableFiles.write(file, Json.MAPPER.writeValueAsBytes(value));
  }

  static void writePrivate(Path file, String content) throws IOException {
    DurableFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] random() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
