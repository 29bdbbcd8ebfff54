package dev.slipway.engine;

import dev.slipway.analysis.HttpProbe;
import dev.slipway.engine.target.ProcessState;
import dev.slipway.model.ServiceSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether one instance is ready: its readiness endpoint answers 2xx; without one, its port
 * accepts connections; without a port either, its process has stayed up for a moment.
 */
final class Readiness {
  static final HttpProbe PROBE = new HttpProbe(Duration.ofSeconds(1));
  private static final Duration SETTLE = Duration.ofMillis(300);
  private final ServiceSpec spec;

  Readiness(ServiceSpec spec) {
    this.spec = spec;
  }

  HttpProbeOutcome check(InstanceRuntime inst) {
    if (inst.handle == null || inst.handle.state() != ProcessState.RUNNING) {
      return new HttpProbeOutcome(false, "process not running");
    }
    if (spec.health().ready() != null) {
      HttpProbe.ProbeResult r = PROBE.probe(inst.port, spec.health().ready());
      return new HttpProbeOutcome(r.healthy(), "GET " + spec.health().ready() + ": " + r.detail());
    }
    if (spec.port() != null) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", inst.port), 500);
        return new HttpProbeOutcome(true, "port " + inst.port + " accepts connections");
      } catch (IOException e) {
        return new HttpProbeOutcome(false, "port " + inst.port + " does not accept connections yet");
      }
    }
    boolean settled = inst.handle.startedAt().plus(SETTLE).isBefore(Instant.now());
    return new HttpProbeOutcome(settled, settled ? "running" : "just started");
  }
}
