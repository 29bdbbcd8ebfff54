package dev.slipway.examples.shop.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method and path to a handler. Patterns are paths whose {@code {name}} segments match any
 * one segment, e.g. {@code /orders/{id}}; the first matching route wins. A handful of routes per
 * service makes a linear scan the simplest thing that is fast enough.
 */
public final class Router {

  /** Handles one request. */
  @FunctionalInterface
  public interface Handler {
    /** Builds the response; an exception becomes a 500 (and a log line). */
    Response handle(Request request) throws Exception;
  }

  private static final Pattern PARAMETER = Pattern.compile("\\{(\\w+)}");

  private record Route(String method, Pattern pattern, List<String> names, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  /** A router without routes. */
  public Router() {}

  /** Adds a route. */
  public void add(String method, String pattern, Handler handler) {
    List<String> names = new ArrayList<>();
    Matcher m = PARAMETER.matcher(pattern);
    StringBuilder regex = new StringBuilder();
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(pattern.substring(last, m.start()))).append("([^/]+)");
      names.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(pattern.substring(last)));
    routes.add(new Route(method, Pattern.compile(regex.toString()), names, handler));
  }

  /** Runs the matching handler; 404 when no route has the path, 405 when none has the method. */
  public Response dispatch(String method, String path, byte[] body) throws Exception {
    boolean pathMatched = false;
    for (Route route : routes) {
      Matcher m = route.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      pathMatched = true;
      if (route.method().equals(method)) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < route.names().size(); i++) {
          params.put(route.names().get(i), m.group(i + 1));
        }
        return route.handler().handle(new Request(method, path, params, body));
      }
    }
    return pathMatched ? Response.error(405, "method not allowed") : Response.error(404, "not found");
  }
}
