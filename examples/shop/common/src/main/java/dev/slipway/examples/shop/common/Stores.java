package dev.slipway.examples.shop.common;

import java.time.Duration;

/**
 * PostgreSQL and Redis as the api and the worker use them: configured from {@code DATABASE_URL}
 * ({@code DATABASE_USER}, {@code DATABASE_PASSWORD}, {@code DATABASE_POOL_SIZE}) and
 * {@code REDIS_URL}, checked by readiness, closed at shutdown.
 */
public final class Stores {

  /** The Redis list the api pushes new order ids onto and the worker pops them from. */
  public static final String NEW_ORDERS_QUEUE = "orders:new";

  /** Bounds one Redis command (besides a blocking command's own wait). */
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

  private final HttpApp app;
  private final RedisUrl redisUrl;
  private final ConnectionPool database;
  private final RedisClient redis;

  private Stores(HttpApp app, RedisUrl redisUrl, ConnectionPool database, RedisClient redis) {
    this.app = app;
    this.redisUrl = redisUrl;
    this.database = database;
    this.redis = redis;
  }

  /**
   * Reads the configuration and registers the "database" and "redis" readiness checks; connects
   * lazily, so this succeeds even while PostgreSQL or Redis are still starting.
   */
  public static Stores open(HttpApp app) {
    Env env = app.env();
    DbConfig db = DbConfig.fromEnv(env);
    RedisUrl redisUrl;
    try {
      redisUrl = RedisUrl.parse(env.required("REDIS_URL"));
    } catch (IllegalArgumentException e) {
      throw new Env.ConfigException("REDIS_URL: " + e.getMessage());
    }
    int poolSize = env.intValue("DATABASE_POOL_SIZE", 4, 1, 100);
    ConnectionPool pool = app.closeOnStop(new ConnectionPool(db, poolSize, "shop-" + Log.service()));
    RedisClient redis = app.closeOnStop(new RedisClient(redisUrl, REDIS_TIMEOUT));
    app.readiness().add("database", pool::check).add("redis", redis::ping);
    Log.info("database " + db + ", redis " + redisUrl);
    return new Stores(app, redisUrl, pool, redis);
  }

  /** The connection pool. */
  public ConnectionPool database() {
    return database;
  }

  /** A shared Redis connection for short commands. */
  public RedisClient redis() {
    return redis;
  }

  /** Another Redis connection, for a blocking command that would hold up the shared one. */
  public RedisClient newRedisConnection() {
    return app.closeOnStop(new RedisClient(redisUrl, REDIS_TIMEOUT));
  }
}
