package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs a PostgreSQL server from a directory of binaries (embedded or installed): {@code initdb} on
 * first use, then {@code postgres} in the foreground under a {@link Supervisor}, stopped with
 * SIGINT (fast shutdown). Data lives in {@code data/<name>/pgdata}.
 */
final class PostgresServer {

  static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);

  private PostgresServer() {}

  /**
   * @param major the major version the binaries are, e.g. "15": a data directory of another
   *              version is refused before PostgreSQL would
   */
  static BackingService start(LocalContext ctx, BackingServiceSpec spec, Path binDir, String major)
      throws TargetException {
    String name = spec.name();
    Path log = ctx.layout().resourceLog(name);
    Path dataDir = ctx.dataDir(name);
    Path pgdata = dataDir.resolve("pgdata");
    String user = ctx.nameOrDefault(spec.username());
    String database = ctx.nameOrDefault(spec.database());
    String superPassword = ctx.password(name, "superuser-password");
    String password = user.equals(PostgresProvisioner.SUPERUSER) ? superPassword : ctx.password(name, "password");

    initIfNeeded(ctx.registry(), ctx.masker(), name, binDir, dataDir, pgdata, major, superPassword, log,
        "`slipway down --volumes`");
    int port = ctx.port(name);
    List<String> argv = UserNamespace.wrapIfRoot(name, List.of(binDir.resolve("postgres").toString(),
        "-D", pgdata.toString(), "-p", Integer.toString(port),
        "-c", "listen_addresses=" + Endpoints.LOOPBACK, "-c", "unix_socket_directories="));
    Supervisor server = ctx.supervisor(new Launch(name, "server", argv, Map.of(), dataDir, log,
        Signal.INT, String.join(" ", argv)).identified(port, ""));
    try {
      ctx.startOrAdopt(server, false);
    } catch (IOException e) {
      throw new TargetException(name, "cannot start PostgreSQL: " + e.getMessage(),
          "check " + binDir + " and the log " + log, e);
    }
    PostgresProvisioner.awaitAndProvision(name, port, superPassword, user, password, database, server,
        READY_TIMEOUT);
    Map<String, String> endpoint = Endpoints.postgres(Endpoints.LOOPBACK, port, user, password, database, "");
    String jdbcUrl = endpoint.get("jdbcUrl");
    return new SupervisedBackingService(name, server, endpoint,
        () -> PostgresProbe.healthy(jdbcUrl, user, password), false, grace -> {});
  }

  /**
   * Runs {@code initdb} unless {@code pgdata} holds a cluster already, which must then be of
   * {@code major}; also used by {@link EmbeddedPostgres}.
   *
   * @param deleteData how the user deletes the data, for the message about a version mismatch
   */
  static void initIfNeeded(ProcessRegistry registry, SecretMasker masker, String name, Path binDir, Path dataDir,
      Path pgdata, String major, String superPassword, Path log, String deleteData) throws TargetException {
    try {
      Path versionFile = pgdata.resolve("PG_VERSION");
      if (Files.exists(versionFile)) {
        String found = Files.readString(versionFile).trim();
        if (!found.equals(major)) {
          throw new TargetException(name, "the data of `" + name + "` was made by PostgreSQL " + found
              + ", but these binaries are PostgreSQL " + major, "set `version: \"" + found + "\"` (with"
              + " `provider: local` if needed), or delete the data with " + deleteData, List.of());
        }
        return;
      }
      // initdb writes into a scratch directory renamed on success, so an interrupted run is harmless.
      Path scratch = dataDir.resolve("pgdata.init");
      BinaryCache.deleteTree(scratch);
      Path pwfile = Files.createTempFile(dataDir, ".pw", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(pwfile, superPassword + "\n");
        List<String> argv = UserNamespace.wrapIfRoot(name, List.of(binDir.resolve("initdb").toString(),
            "-D", scratch.toString(), "-U", PostgresProvisioner.SUPERUSER, "-A", "scram-sha-256",
            "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "--no-sync"));
        ForegroundRun.Outcome out = ForegroundRun.run("initdb-" + name, "init", argv, Map.of("LC_ALL", "C"),
            dataDir, log, "--- slipway: initdb for " + name + " at " + Instant.now(), String.join(" ", argv),
            INITDB_TIMEOUT, registry);
        if (!out.ok()) {
          throw new TargetException(name, "initdb for `" + name + "` failed" + (out.timedOut() ? " (timed out)"
              : " with exit code " + out.exitCode()), "see " + log + "; the last lines are below",
              LogTail.lines(log, 20, masker));
        }
      } finally {
        Files.deleteIfExists(pwfile);
      }
      Files.move(scratch, pgdata, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TargetException(name, "cannot prepare the data directory of `" + name + "`: " + e.getMessage(),
          "check that " + dataDir + " is writable", e);
    }
  }
}
