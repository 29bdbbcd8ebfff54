package dev.slipway.examples.shop.api;

import dev.slipway.examples.shop.common.HttpApp;
import dev.slipway.examples.shop.common.Json;
import dev.slipway.examples.shop.common.Log;
import dev.slipway.examples.shop.common.RedisClient;
import dev.slipway.examples.shop.common.Request;
import dev.slipway.examples.shop.common.Response;
import dev.slipway.examples.shop.common.Stores;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The api's HTTP endpoints: place an order, read one, list the latest. */
public final class OrderRoutes {

  private static final int LIST_LIMIT = 50;

  private final Orders orders;
  private final RedisClient redis;

  /** Endpoints over the given table and queue connection. */
  public OrderRoutes(Orders orders, RedisClient redis) {
    this.orders = orders;
    this.redis = redis;
  }

  /**
   * Adds the routes to the app, both at the root and under {@code /api}: the model routes
   * {@code shop.example.com/api} to the api, and whether an ingress strips that prefix is up to
   * the platform, so both forms work.
   */
  public void register(HttpApp app) {
    for (String prefix : List.of("", "/api")) {
      app.route("POST", prefix + "/orders", this::place);
      app.route("GET", prefix + "/orders", request -> Response.json(200, orders.latest(LIST_LIMIT)));
      app.route("GET", prefix + "/orders/{id}", this::get);
    }
  }

  private Response place(Request request) throws Exception {
    NewOrder order;
    try {
      order = NewOrder.parse(request.bodyText());
    } catch (IllegalArgumentException e) {
      return Response.error(400, e.getMessage());
    }
    long id = orders.insert(order);
    try {
      redis.lpush(Stores.NEW_ORDERS_QUEUE, Long.toString(id));
    } catch (IOException e) {
      // The order is stored, so the request succeeded; the worker's sweep finds unqueued orders.
      Log.warn("order " + id + " placed but not queued: " + Log.describe(e));
    }
    // Relative to the path the order was posted to, so it is right with or without /api.
    return Response.json(201, Json.object("id", id)).withHeader("Location", request.path() + "/" + id);
  }

  private Response get(Request request) throws Exception {
    long id;
    try {
      id = Long.parseLong(request.pathParam("id"));
    } catch (NumberFormatException e) {
      return Response.error(404, "no such order");
    }
    Optional<Map<String, Object>> order = orders.find(id);
    return order.isPresent() ? Response.json(200, order.get()) : Response.error(404, "no such order");
  }
}
