package dev.slipway.examples.shop.web;

import static dev.slipway.examples.shop.web.ApiProxy.PREFIX;

import dev.slipway.examples.shop.common.Env;
import dev.slipway.examples.shop.common.HttpApp;
import dev.slipway.examples.shop.common.Log;
import dev.slipway.examples.shop.common.Response;

/**
 * The web front end: {@code GET /} serves the shop page, and {@code /api/orders...} forwards the
 * page's calls to the api at {@code API_URL}.
 */
public final class WebMain {

  private WebMain() {}

  /** Starts web; configuration comes from the environment (see README.md). */
  public static void main(String[] args) {
    HttpApp.run("web", app -> {
      ApiProxy api = proxy(app.env());
      app.readiness().add("api", api::checkReady);
      String page = IndexPage.render(app.version());
      app.route("GET", "/", request -> Response.html(page));
      app.route("GET", PREFIX + "/orders", request -> api.forward("GET", "/orders", null));
      app.route("POST", PREFIX + "/orders", request -> api.forward("POST", "/orders", request.body()));
      app.route("GET", PREFIX + "/orders/{id}", request -> {
        String id = request.pathParam("id");
        // Only digits go into the api's URL: nothing from the client can reshape it.
        return id.chars().allMatch(c -> c >= '0' && c <= '9') && id.length() <= 19
            ? api.forward("GET", "/orders/" + id, null)
            : Response.error(404, "no such order");
      });
      Log.info("api at " + api.baseUrl());
    });
  }

  private static ApiProxy proxy(Env env) {
    try {
      return new ApiProxy(env.required("API_URL"));
    } catch (IllegalArgumentException e) {
      throw new Env.ConfigException("API_URL: " + e.getMessage());
    }
  }
}
