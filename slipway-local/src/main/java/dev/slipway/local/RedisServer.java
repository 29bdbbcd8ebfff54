package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code redis-server} in the foreground under a {@link Supervisor}, with append-only
 * persistence in {@code data/<name>}. The password goes into a 0600 config file, not the command
 * line, which any user can read with {@code ps}.
 */
final class RedisServer {

  static final String USER = "default";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private RedisServer() {}

  static BackingService start(LocalContext ctx, BackingServiceSpec spec, Path binary) throws TargetException {
    String name = spec.name();
    Path log = ctx.layout().resourceLog(name);
    Path dataDir = ctx.dataDir(name);
    String password = ctx.password(name, "password");
    int port = ctx.port(name);
    Path conf = dataDir.resolve("redis.conf");
    String config = config(port, dataDir.toString(), password);
    try {
      writePrivate(conf, config);
    } catch (IOException e) {
      throw new TargetException(name, "cannot write " + conf + ": " + e.getMessage(),
          "check that " + dataDir + " is writable", e);
    }
    List<String> argv = List.of(binary.toString(), conf.toString());
    Supervisor server = ctx.supervisor(new Launch(name, "server", argv, Map.of(), dataDir, log,
        Signal.TERM, String.join(" ", argv)).identified(port, config));
    try {
      ctx.startOrAdopt(server, false);
    } catch (IOException e) {
      throw new TargetException(name, "cannot start redis-server: " + e.getMessage(), "check " + binary, e);
    }
    awaitReady(server, port, password);
    return new SupervisedBackingService(name, server, Endpoints.redis(Endpoints.LOOPBACK, port, USER, password,
        false, null), () -> RedisProbe.healthy(Endpoints.LOOPBACK, port, USER, password, false, PROBE_TIMEOUT),
        false, grace -> {});
  }

  /** The config; {@code dir} and the password are quoted because a path may hold spaces. */
  static String config(int port, String dir, String password) {
    return String.join("\n",
        "# Written by Slipway on every start; edits are lost.",
        "bind " + Endpoints.LOOPBACK,
        "port " + port,
        "protected-mode yes",
        "daemonize no",
        "dir " + quote(dir),
        "appendonly yes",
        "requirepass " + quote(password),
        "") ;
  }

  static void awaitReady(Supervisor server, int port, String password) throws TargetException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!RedisProbe.healthy(Endpoints.LOOPBACK, port, USER, password, false, PROBE_TIMEOUT)) {
      if (server.exits() > 0) {
        throw server.failStart(server.launch().name() + " exited while starting", "the log lines below say why");
      }
      if (System.nanoTime() - deadline >= 0) {
        throw server.failStart(server.launch().name() + " did not answer PING within "
            + Durations.human(READY_TIMEOUT), "the log lines below may say why");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw server.failStart("interrupted while waiting for " + server.launch().name(), "try again");
      }
    }
  }

  static void writePrivate(Path file, String content) throws IOException {
    dev.slipway.api.DurableFiles.write(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
