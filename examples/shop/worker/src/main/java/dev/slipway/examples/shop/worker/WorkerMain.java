package dev.slipway.examples.shop.worker;

import dev.slipway.examples.shop.common.HttpApp;
import dev.slipway.examples.shop.common.Stores;

/**
 * The worker: processes new orders as the api announces them on Redis. Serves only health and
 * version endpoints, so the platform can probe it like the other services.
 */
public final class WorkerMain {

  private WorkerMain() {}

  /** Starts the worker; configuration comes from the environment (see README.md). */
  public static void main(String[] args) {
    HttpApp.run("worker", app -> {
      Stores stores = Stores.open(app);
      OrderProcessor processor = app.closeOnStop(
          new OrderProcessor(new OrderUpdates(stores.database()), stores.newRedisConnection()));
      app.listen();
      processor.start();
    });
  }
}
