package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL or Redis in a container: {@code docker run} in the foreground under a
 * {@link Supervisor}, host networking on an allocated port, data in the named volume
 * {@code slipway-<app>-<resource>}. The image ({@code postgres:<version>}, {@code redis:<version>})
 * must already exist locally: Slipway never pulls.
 *
 * <p>Not exercised by the test suite: the build machine has a Docker client but no engine, so only
 * the "no engine" error is tested.
 */
final class DockerProvider implements BackingServiceProvider {

  static final String LABEL = "slipway.app";

  @Override
  public String id() {
    return "docker";
  }

  @Override
  public BackingService start(LocalContext ctx, BackingServiceSpec spec, String externalUrl) throws TargetException {
    String name = spec.name();
    if (spec.type() == BackingServiceType.PROMETHEUS) {
      throw new TargetException(name, "`provider: docker` does not run " + spec.type().key() + " yet",
          "use `provider: external` with its url", List.of());
    }
    if (!DockerCli.engineRunning()) {
      throw new TargetException(name, "no Docker engine is running (`docker info` failed)",
          "start Docker, or use `provider: embedded` (bundled binaries) or `provider: local`", List.of());
    }
    String version = spec.version() == null ? spec.type().defaultVersion() : spec.version();
    String image = spec.type().key() + ":" + version;
    if (!DockerCli.run(30, "image", "inspect", image).ok()) {
      throw new TargetException(name, "the image `" + image + "` is not present locally",
          "pull or build it first (`docker pull " + image + "`); Slipway never pulls images", List.of());
    }
    String container = DockerCli.containerName(ctx.appName(), ctx.baseDir(), ctx.layout().root(), name);
    Path dataDir = ctx.dataDir(name);
    int port = ctx.port(name);
    List<String> run = new ArrayList<>(List.of("--rm", "--name", container, "--label", LABEL + "=" + ctx.appName(),
        "--network", "host", "-v", container + ":" + dataPath(spec.type())));
    String password = ctx.password(name, "password");
    String superPassword = null;
    String user = ctx.nameOrDefault(spec.username());
    String database = ctx.nameOrDefault(spec.database());
    try {
      if (spec.type() == BackingServiceType.POSTGRES) {
        superPassword = ctx.password(name, "superuser-password");
        if (user.equals(PostgresProvisioner.SUPERUSER)) {
          password = superPassword;
        }
        Path envFile = dataDir.resolve("docker.env");
        RedisServer.writePrivate(envFile, "POSTGRES_PASSWORD=" + superPassword + "\n");
        run.addAll(List.of("--env-file", envFile.toString(), image,
            "-p", Integer.toString(port), "-c", "listen_addresses=" + Endpoints.LOOPBACK));
      } else {
        Path conf = dataDir.resolve("redis.conf");
        RedisServer.writePrivate(conf, RedisServer.config(port, "/data", password));
        run.addAll(List.of("-v", conf + ":/usr/local/etc/redis/redis.conf:ro", image,
            "redis-server", "/usr/local/etc/redis/redis.conf"));
      }
    } catch (IOException e) {
      throw new TargetException(name, "cannot write the configuration of `" + name + "`: " + e.getMessage(),
          "check that " + dataDir + " is writable", e);
    }
    // A container left by a crashed client would block the name: remove it before every run.
    List<String> argv = new ArrayList<>(List.of("sh", "-c",
        "docker rm -f \"$0\" >/dev/null 2>&1; exec docker run \"$@\"", container));
    argv.addAll(run);
    Supervisor server = ctx.supervisor(new Launch(name, "container", argv, Map.of(), dataDir,
        ctx.layout().resourceLog(name), Signal.TERM, "docker run " + container));
    ProcessRegistry.Entry entry = ctx.registry().containerEntry(name, container, "docker run " + image);
    try {
      ctx.registry().register(entry);
      server.start();
    } catch (IOException e) {
      throw new TargetException(name, "cannot run docker: " + e.getMessage(), "check the docker client", e);
    }
    Map<String, String> endpoint;
    java.util.function.BooleanSupplier probe;
    if (spec.type() == BackingServiceType.POSTGRES) {
      PostgresProvisioner.awaitAndProvision(name, port, superPassword, user, password, database, server,
          Duration.ofSeconds(60));
      endpoint = Endpoints.postgres(Endpoints.LOOPBACK, port, user, password, database, "");
      String jdbcUrl = endpoint.get("jdbcUrl");
      String pw = password;
      probe = () -> PostgresProbe.healthy(jdbcUrl, user, pw);
    } else {
      RedisServer.awaitReady(server, port, password);
      endpoint = Endpoints.redis(Endpoints.LOOPBACK, port, RedisServer.USER, password, false, null);
      String pw = password;
      probe = () -> RedisProbe.healthy(Endpoints.LOOPBACK, port, RedisServer.USER, pw, false, Duration.ofSeconds(1));
    }
    return new SupervisedBackingService(name, server, endpoint, probe, true, grace -> {
      DockerCli.run((int) grace.toSeconds() + 10, "stop", "-t", Long.toString(grace.toSeconds()), container);
      try {
        ctx.registry().unregister(entry);
      } catch (IOException e) {
        System.getLogger(DockerProvider.class.getName()).log(System.Logger.Level.WARNING,
            "cannot update " + ctx.registry().file() + ": " + e.getMessage());
      }
    });
  }

  private static String dataPath(BackingServiceType type) {
    return type == BackingServiceType.POSTGRES ? "/var/lib/postgresql/data" : "/data";
  }
}
