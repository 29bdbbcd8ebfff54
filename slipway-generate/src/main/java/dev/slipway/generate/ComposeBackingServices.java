package dev.slipway.generate;

import dev.slipway.generate.Generated.ReportLine;
import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceSpec.Provider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Compose services of PostgreSQL, Redis and Prometheus resources: official images, a named volume
 * for data, a healthcheck that really queries the server (so {@code service_healthy} means usable), and
 * no published port (they are reached by name on the Compose network).
 */
final class ComposeBackingServices {
  /** Image tags when the model names no version; Redis 7 is the oldest line still maintained upstream. */
  static final String POSTGRES_DEFAULT = "15";
  static final String REDIS_DEFAULT = "7";
  static final String PROMETHEUS_IMAGE = "prom/prometheus:v2.53.2";

  private ComposeBackingServices() {}

  static String postgresUser(AppSpec app, BackingServiceSpec r) {
    return r.username() != null ? r.username() : app.name();
  }

  static String postgresDatabase(AppSpec app, BackingServiceSpec r) {
    return r.database() != null ? r.database() : app.name();
  }

  /** Whether Compose runs the resource (everything but {@code provider: external}). */
  static boolean runsInCompose(BackingServiceSpec r) {
    return r.provider() != Provider.EXTERNAL;
  }

  /**
   * The service entry for {@code r}, or null when it is external; adds its volume to {@code volumes}.
   */
  static Map<String, Object> service(AppSpec app, BackingServiceSpec r, ComposeEnv env,
      Map<String, Object> volumes, List<ReportLine> report) {
    String path = "resources." + r.name();
    if (!runsInCompose(r)) {
      report.add(new ReportLine(path, "not started by Compose: external; services connect to its url", false));
      return null;
    }
    Map<String, Object> s = new LinkedHashMap<>();
    Map<String, Object> environment = new LinkedHashMap<>();
    String volume = r.name() + "-data";
    switch (r.type()) {
      case POSTGRES -> {
        String image = "postgres:" + version(r, POSTGRES_DEFAULT);
        String user = postgresUser(app, r);
        String db = postgresDatabase(app, r);
        s.put("image", image);
        environment.put("POSTGRES_USER", ComposeEnv.literal(user));
        environment.put("POSTGRES_DB", ComposeEnv.literal(db));
        environment.put("POSTGRES_PASSWORD", env.password(r));
        s.put("environment", environment);
        // -h 127.0.0.1: the image's init phase runs a socket-only server; only the real one is healthy.
        s.put("healthcheck", healthcheck(ComposeEnv.literal("pg_isready -h 127.0.0.1 -U " + shellQuote(user)
            + " -d " + shellQuote(db))));
        s.put("volumes", List.of(volume + ":/var/lib/postgresql/data"));
        volumes.put(volume, new LinkedHashMap<>());
        report.add(new ReportLine(path, "service " + r.name() + ": " + image + ", database " + db + ", user " + user
            + ", password from .env, volume " + volume, true));
      }
      case REDIS -> {
        String image = "redis:" + version(r, REDIS_DEFAULT);
        String password = env.password(r);
        s.put("image", image);
        s.put("command", List.of("redis-server", "--requirepass", password, "--appendonly", "yes"));
        environment.put("REDISCLI_AUTH", password);
        s.put("environment", environment);
        s.put("healthcheck", healthcheck("redis-cli ping | grep -q PONG"));
        s.put("volumes", List.of(volume + ":/data"));
        volumes.put(volume, new LinkedHashMap<>());
        report.add(new ReportLine(path, "service " + r.name() + ": " + image
            + (r.version() == null ? " (no version in the model; the local default is 6)" : "")
            + ", password from .env, append-only file on volume " + volume, true));
      }
      case PROMETHEUS -> {
        s.put("image", PROMETHEUS_IMAGE);
        s.put("volumes", List.of("./prometheus.yml:/etc/prometheus/prometheus.yml:ro"));
        s.put("healthcheck", healthcheck("wget -q -O /dev/null http://127.0.0.1:9090/-/ready || exit 1"));
        report.add(new ReportLine(path, "service " + r.name() + ": " + PROMETHEUS_IMAGE
            + " scraping every service (prometheus.yml)", true));
      }
    }
    if (r.provider() != Provider.EMBEDDED && r.provider() != Provider.DOCKER) {
      report.add(new ReportLine(path + ".provider", "`" + r.provider().key()
          + "` → a container anyway: Compose runs everything as containers", false));
    }
    s.put("restart", "unless-stopped");
    return s;
  }

  static Map<String, Object> healthcheck(String command) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("test", List.of("CMD-SHELL", command));
    h.put("interval", "2s");
    h.put("timeout", "5s");
    h.put("retries", 30);
    h.put("start_period", "10s");
    return h;
  }

  private static String version(BackingServiceSpec r, String fallback) {
    return r.version() != null ? r.version() : fallback;
  }

  static String shellQuote(String s) {
    return s.matches("[A-Za-z0-9_./:-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
