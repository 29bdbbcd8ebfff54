package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import java.nio.file.Path;
import java.util.List;

/** {@code redis-server} installed on the machine (found on the PATH). */
final class LocalRedisProvider implements BackingServiceProvider {

  @Override
  public String id() {
    return "local-redis";
  }

  @Override
  public BackingService start(LocalContext ctx, BackingServiceSpec spec, String externalUrl) throws TargetException {
    Path binary = Executables.onPath("redis-server");
    if (binary == null) {
      throw new TargetException(spec.name(), "redis-server is not installed (not found on the PATH)",
          "install it (e.g. `apt-get install redis-server`), or use `provider: embedded`", List.of());
    }
    return RedisServer.start(ctx, spec, binary);
  }
}
