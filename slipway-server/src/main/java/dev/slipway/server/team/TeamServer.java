package dev.slipway.server.team;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.api.ErrorView;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.server.ApiError;
import dev.slipway.server.HttpExchanges;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The team server's HTTP API (the JDK server on virtual threads, decision 0004): every route but
 * {@link TeamPaths#HEALTH} needs a user's bearer token (401 says how to log in); the handlers that
 * {@link TeamRoutes} register check roles; every error is one {@link ErrorView}.
 */
public final class TeamServer implements AutoCloseable {
  private final TeamLedger ledger;
  private final List<Route> routes = new ArrayList<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private HttpServer server;

  TeamServer(TeamLedger ledger, List<TeamRoutes> groups) {
    this.ledger = ledger;
    TeamRouter router = new TeamRouter() {
      @Override
      public void get(String pattern, TeamHandler handler) {
        add("GET", pattern, handler);
      }

      @Override
      public void post(String pattern, TeamHandler handler) {
        add("POST", pattern, handler);
      }

      @Override
      public void put(String pattern, TeamHandler handler) {
        add("PUT", pattern, handler);
      }

      @Override
      public void delete(String pattern, TeamHandler handler) {
        add("DELETE", pattern, handler);
      }
    };
    groups.forEach(g -> g.register(router));
  }

  private void add(String method, String pattern, TeamRouter.TeamHandler handler) {
    routes.add(new Route(method, pattern.split("/"), handler));
  }

  /** Listens on {@code address} (port 0: a free one) and returns the bound address. */
  public InetSocketAddress start(InetSocketAddress address) throws IOException {
    server = HttpServer.create(address, 128);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    return server.getAddress();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) {
    try {
      route(ex);
    } catch (ApiError e) {
      HttpExchanges.sendError(ex, e.status(), e.type(), e.getMessage(), e.details());
    } catch (IOException e) {
      // The client went away mid-response; nothing to answer.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      HttpExchanges.sendError(ex, 503, "stopping", "The server is stopping", List.of("retry once it is back"));
    } catch (Exception e) {
      HttpExchanges.sendError(ex, 500, "internal", "Internal error", List.of(String.valueOf(e)));
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex) throws Exception {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals(TeamPaths.HEALTH)) {
      HttpExchanges.requireMethod(method, "GET");
      send(ex, 200, Map.of("status", "UP", "pid", ProcessHandle.current().pid()));
      return;
    }
    // Split the raw path, then decode each segment: a name may hold an encoded `/`, and `+` is itself in a path.
    String[] segments = ex.getRequestURI().getRawPath().split("/");
    List<Route> matching = routes.stream().filter(r -> r.matches(segments)).toList();
    if (matching.isEmpty()) {
      throw ApiError.notFound("unknown-path", "no such endpoint: " + path + "; see docs/promotion.md");
    }
    Caller caller = authenticate(ex);
    Route route = matching.stream().filter(r -> r.method.equals(method)).findFirst().orElseThrow(() ->
        new ApiError(405, "method-not-allowed", "Method not allowed", List.of("use " + String.join(" or ",
            matching.stream().map(r -> r.method).distinct().toList()) + ", not " + method)));
    byte[] body = ex.getRequestBody().readAllBytes();
    TeamResponse response = route.handler.handle(new TeamRequest(caller, route.params(segments),
        HttpExchanges.query(ex.getRequestURI().getRawQuery()), body));
    send(ex, response.status(), response.body());
  }

  private Caller authenticate(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    String presented = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
    Optional<Caller> caller = presented.isEmpty() ? Optional.empty() : ledger.callerByTokenHash(Tokens.hash(presented));
    return caller.orElseThrow(() -> new ApiError(401, "unauthorized", "Unauthorized", List.of(
        (presented.isEmpty() ? "no token given" : "the token is not (or no longer) valid")
            + "; log in: slipway login --server URL, with the token an admin's slipway user add NAME --role ROLE printed"
            + " (the first admin's is in the server's DATA/admin-token); or set " + TeamPaths.SERVER_VARIABLE + " and "
            + TeamPaths.TOKEN_VARIABLE)));
  }

  private static void send(HttpExchange ex, int status, Object body) throws IOException {
    if (status == 204 || body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    HttpExchanges.sendJson(ex, status, body);
  }

  private record Route(String method, String[] pattern, TeamRouter.TeamHandler handler) {
    boolean matches(String[] segments) {
      if (segments.length != pattern.length) {
        return false;
      }
      for (int i = 0; i < pattern.length; i++) {
        if (!isParam(pattern[i]) && !pattern[i].equals(segments[i])) {
          return false;
        }
        if (isParam(pattern[i]) && segments[i].isEmpty()) {
          return false;
        }
      }
      return true;
    }

    Map<String, String> params(String[] segments) {
      Map<String, String> out = new HashMap<>();
      for (int i = 0; i < pattern.length; i++) {
        if (isParam(pattern[i])) {
          out.put(pattern[i].substring(1, pattern[i].length() - 1),
              URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8));
        }
      }
      return out;
    }

    private static boolean isParam(String segment) {
      return segment.startsWith("{") && segment.endsWith("}");
    }
  }
}
