package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.Durations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Prometheus installed on the machine ({@code apt-get install prometheus}), run in the foreground,
 * scraping Slipway's router every second so canary analysis can read it through PromQL. The config
 * holds the router's bearer token, so it is written 0600 and rewritten on every start.
 */
final class LocalPrometheusProvider implements BackingServiceProvider {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** Where the router's metrics are, or null when the stack has no router. */
  interface RouterMetrics {
    Traffic.MetricsEndpoint endpoint() throws TargetException;
  }

  private final RouterMetrics router;

  LocalPrometheusProvider(RouterMetrics router) {
    this.router = router;
  }

  @Override
  public String id() {
    return "local-prometheus";
  }

  @Override
  public BackingService start(LocalContext ctx, BackingServiceSpec spec, String externalUrl) throws TargetException {
    String name = spec.name();
    Path binary = Files.isExecutable(Path.of("/usr/bin/prometheus")) ? Path.of("/usr/bin/prometheus")
        : Executables.onPath("prometheus");
    if (binary == null) {
      throw new TargetException(name, "prometheus is not installed", "install it (`apt-get install prometheus`), "
          + "or point `resources." + name + "` at one with `provider: external` and `url:`", List.of());
    }
    int port = ctx.port(name);
    Path dataDir = ctx.dataDir(name);
    Path conf = dataDir.resolve("prometheus.yml");
    String config = config(router.endpoint());
    try {
      writePrivate(conf, config);
    } catch (IOException e) {
      throw new TargetException(name, "cannot write " + conf + ": " + e.getMessage(), "check that " + dataDir
          + " is writable", e);
    }
    List<String> argv = List.of(binary.toString(), "--config.file=" + conf, "--storage.tsdb.path=" + dataDir.resolve("tsdb"),
        "--web.listen-address=" + Endpoints.LOOPBACK + ":" + port, "--storage.tsdb.retention.time=2d",
        "--log.level=warn");
    Supervisor server = ctx.supervisor(new Launch(name, "server", argv, Map.of(), dataDir, ctx.layout().resourceLog(name),
        Signal.TERM, String.join(" ", argv)).identified(port, config));
    try {
      ctx.startOrAdopt(server, false);
    } catch (IOException e) {
      throw new TargetException(name, "cannot start prometheus: " + e.getMessage(), "check " + binary, e);
    }
    URI base = URI.create("http://" + Endpoints.LOOPBACK + ":" + port);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!ExternalProvider.httpOk(base.resolve("/-/ready"), PROBE_TIMEOUT)) {
      if (server.exits() > 0) {
        throw server.failStart(name + " exited while starting", "the log lines below say why");
      }
      if (System.nanoTime() - deadline >= 0) {
        throw server.failStart(name + " was not ready within " + Durations.human(READY_TIMEOUT), "see its log");
      }
      sleep();
    }
    Map<String, String> endpoint = Map.of("url", base.toString(), "host", Endpoints.LOOPBACK,
        "port", Integer.toString(port));
    return new SupervisedBackingService(name, server, endpoint, () -> ExternalProvider.httpOk(base.resolve("/-/healthy"), PROBE_TIMEOUT), false,
        grace -> { });
  }

  /** One job: the router's metrics every second (analysis decides in seconds, not minutes). */
  static String config(Traffic.MetricsEndpoint router) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Written by Slipway on every start; edits are lost.\n");
    sb.append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
    sb.append("scrape_configs:\n");
    if (router != null) {
      URI u = URI.create(router.url());
      String auth = router.headers().getOrDefault("Authorization", "");
      sb.append("  - job_name: slipway-router\n");
      sb.append("    metrics_path: ").append(u.getPath()).append('\n');
      if (auth.startsWith("Bearer ")) {
        sb.append("    authorization:\n      type: Bearer\n      credentials: '").append(auth.substring(7)).append("'\n");
      }
      sb.append("    static_configs:\n      - targets: ['").append(u.getHost()).append(':').append(u.getPort()).append("']\n");
    } else {
      sb.append("  []\n");
    }
    return sb.toString();
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void writePrivate(Path file, String content) throws IOException {
    dev.slipway.api.DurableFiles.write(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
