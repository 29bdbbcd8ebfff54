package dev.slipway.local;

import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Traffic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A control plane to be killed: run in its own JVM by {@link AdoptionIT}, it starts an instance that
 * serves HTTP, a worker, a Redis and (unless {@code no-router} is given) the router with a route to
 * the instance, prints {@code ready <instance port> <front port or 0>} and waits to be {@code kill -9}ed.
 */
public final class AdoptionFixture {

  private AdoptionFixture() {}

  static InstanceSpec api(int port) {
    return new InstanceSpec("api", "api-r1-1", "api-r1", "v1", TinyServer.command(), null,
        Map.of("PORT", Integer.toString(port), "INSTANCE_ID", "api-r1-1", "APP_VERSION", "v1"), port,
        Duration.ofSeconds(2));
  }

  static InstanceSpec worker() {
    return new InstanceSpec("worker", "worker-r1-1", "worker-r1", "v1", "sleep 300", null, Map.of(), 0,
        Duration.ofSeconds(2));
  }

  static Traffic.Route route(int port) {
    return new Traffic.Route(List.of(new Traffic.Backend("api-r1-1", "api-r1", port, false)), Map.of("api-r1", 100),
        Duration.ofSeconds(5));
  }

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    LocalTarget target = new LocalTarget("demo", base, base.resolve(".slipway"), new SecretMasker());
    int port = target.allocatePort("api-r1-1");
    target.startBackingService(EmbeddedRedisIT.CACHE, null);
    target.startInstance(api(port));
    target.startInstance(worker());
    if (!Http.awaitOk("http://127.0.0.1:" + port + "/", Duration.ofSeconds(20))) {
      throw new IllegalStateException("api-r1-1 did not answer on port " + port);
    }
    int front = 0;
    if (!List.of(args).contains("no-router")) {
      Traffic traffic = target.traffic();
      front = traffic.frontPort("api");
      TrafficWrites.put(traffic, "api", route(port));
    }
    System.out.println("ready " + port + " " + front);
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5));
  }
}
