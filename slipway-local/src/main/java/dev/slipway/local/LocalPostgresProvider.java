package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceType;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL installed on the machine: {@code /usr/lib/postgresql/<version>/bin} (Debian, Ubuntu)
 * or {@code postgres} on the PATH when it is the wanted major version.
 */
final class LocalPostgresProvider implements BackingServiceProvider {

  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

  @Override
  public String id() {
    return "local-postgres";
  }

  @Override
  public BackingService start(LocalContext ctx, BackingServiceSpec spec, String externalUrl) throws TargetException {
    String major = spec.version() == null ? BackingServiceType.POSTGRES.defaultVersion() : spec.version().split("\\.")[0];
    Path debian = Path.of("/usr/lib/postgresql", major, "bin");
    if (Files.isExecutable(debian.resolve("postgres")) && Files.isExecutable(debian.resolve("initdb"))) {
      return PostgresServer.start(ctx, spec, debian, major);
    }
    Path onPath = Executables.onPath("postgres");
    if (onPath != null && Files.isExecutable(onPath.resolveSibling("initdb"))) {
      String found = versionOf(onPath);
      if (major.equals(found)) {
        return PostgresServer.start(ctx, spec, onPath.getParent(), major);
      }
      throw new TargetException(spec.name(), "the `postgres` on the PATH (" + onPath + ") is version " + found
          + ", not " + major, "install PostgreSQL " + major + ", or set `version: \"" + found + "\"`", List.of());
    }
    throw new TargetException(spec.name(), "PostgreSQL " + major + " is not installed (looked in " + debian
        + " and on the PATH)", "install it (e.g. `apt-get install postgresql-" + major
        + "`), or use `provider: embedded`", List.of());
  }

  private static String versionOf(Path postgres) {
    try {
      Process p = new ProcessBuilder(postgres.toString(), "--version").redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      Matcher m = VERSION.matcher(out);
      return m.find() ? m.group(1) : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
