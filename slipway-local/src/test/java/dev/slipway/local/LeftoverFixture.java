package dev.slipway.local;

import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.SecretMasker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A control plane to be killed: run in its own JVM by {@link LeftoversIT}, it starts an instance
 * (and with {@code with-db} a PostgreSQL server), says so on stdout, and waits to be {@code kill -9}ed.
 */
public final class LeftoverFixture {

  private LeftoverFixture() {}

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    LocalTarget target = new LocalTarget("demo", base, base.resolve(".slipway"), new SecretMasker());
    Instance api = target.startInstance(new InstanceSpec("api", "api-1", "api-r1", "v1", "sleep 300 & sleep 300", null,
        Map.of(), 0, Duration.ofSeconds(2)));
    if (args.length > 1 && args[1].equals("with-db")) {
      target.startBackingService(EmbeddedPostgresIT.DB, null);
    }
    System.out.println("started " + api.pid());
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5));
  }
}
