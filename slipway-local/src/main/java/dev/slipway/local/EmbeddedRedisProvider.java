package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Redis 6.2 from the binary bundled with Slipway, copied into the user's cache. */
final class EmbeddedRedisProvider implements BackingServiceProvider {

  static final String MAJOR = "6";
  private final BinaryCache cache;

  EmbeddedRedisProvider(BinaryCache cache) {
    this.cache = cache;
  }

  @Override
  public String id() {
    return "embedded-redis";
  }

  @Override
  public BackingService start(LocalContext ctx, BackingServiceSpec spec, String externalUrl) throws TargetException {
    String version = spec.version();
    if (version != null && !version.equals(MAJOR) && !version.startsWith(MAJOR + ".")) {
      throw new TargetException(spec.name(), "embedded Redis is version 6.2, not " + version,
          "use `version: \"6\"`, or `provider: local` with redis-server " + version + " installed", List.of());
    }
    if (!BinaryCache.linuxX64()) {
      throw new TargetException(spec.name(), "embedded Redis is only bundled here for Linux x86-64",
          "use `provider: local` (an installed redis-server) or `provider: docker`", List.of());
    }
    Path binary;
    try {
      binary = cache.redisServer();
    } catch (IOException e) {
      throw new TargetException(spec.name(), "cannot unpack the embedded Redis: " + e.getMessage(),
          "check that the cache directory (XDG_CACHE_HOME or ~/.cache) is writable", e);
    }
    return RedisServer.start(ctx, spec, binary);
  }
}
