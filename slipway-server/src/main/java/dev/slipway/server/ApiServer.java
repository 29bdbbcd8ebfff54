package dev.slipway.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.api.ApiPaths;
import dev.slipway.api.DownRequest;
import dev.slipway.api.EventView;
import dev.slipway.engine.EngineException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's HTTP API on 127.0.0.1 (see {@code docs/api.md}). Every request but the health
 * check needs the bearer token from {@code .slipway/run/token}; every error has one JSON shape.
 */
final class ApiServer {
  private final ControlPlane plane;
  private final String token;
  private HttpServer server;

  ApiServer(ControlPlane plane, String token) {
    this.plane = plane;
    this.token = token;
  }

  int start(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
    return server.getAddress().getPort();
  }

  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private void handle(HttpExchange ex) {
    try {
      route(ex);
    } catch (ApiError e) {
      HttpExchanges.sendError(ex, e.status, e.type, e.getMessage(), e.details);
    } catch (IOException e) {
      // The client went away mid-response; nothing to answer.
    } catch (RuntimeException e) {
      HttpExchanges.sendError(ex, 500, "internal", "Internal error", List.of(String.valueOf(e)));
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals(ApiPaths.HEALTH)) {
      HttpExchanges.requireMethod(method, "GET");
      HttpExchanges.sendJson(ex, 200, Map.of("status", "UP", "pid", ProcessHandle.current().pid()));
      return;
    }
    if (!path.startsWith("/api/v1/")) {
      throw ApiError.notFound("unknown-path", "no such endpoint: " + path + "; see docs/api.md");
    }
    authorize(ex);
    Map<String, String> query = HttpExchanges.query(ex.getRequestURI().getRawQuery());
    if (path.equals(ApiPaths.STATUS)) {
      HttpExchanges.requireMethod(method, "GET");
      HttpExchanges.sendJson(ex, 200, plane.status());
    } else if (path.equals(ApiPaths.EVENTS)) {
      HttpExchanges.requireMethod(method, "GET");
      long after = parseLong(query.getOrDefault("after", "0"), "after");
      if ("false".equals(query.get("follow"))) {
        HttpExchanges.sendJson(ex, 200, plane.events().after(after));
      } else {
        streamEvents(ex, after);
      }
    } else if (path.equals(ApiPaths.DOWN)) {
      HttpExchanges.requireMethod(method, "POST");
      byte[] body = ex.getRequestBody().readAllBytes();
      DownRequest request = body.length == 0 ? new DownRequest(false)
          : Json.MAPPER.readValue(body, DownRequest.class);
      plane.requestShutdown(request.volumes());
      HttpExchanges.sendJson(ex, 202, Map.of("state", "stopping", "volumes", request.volumes()));
    } else if (path.startsWith(ApiPaths.SERVICES) && path.indexOf('/', ApiPaths.SERVICES.length()) > 0
        && !path.endsWith("/logs")) {
      String rest = path.substring(ApiPaths.SERVICES.length());
      String name = rest.substring(0, rest.indexOf('/'));
      String action = rest.substring(rest.indexOf('/') + 1);
      new ReleaseRoutes(plane.runner().releases()).handle(ex, method, name, action);
    } else if (path.startsWith(ApiPaths.SERVICES) && path.endsWith("/logs")) {
      HttpExchanges.requireMethod(method, "GET");
      String name = path.substring(ApiPaths.SERVICES.length(), path.length() - "/logs".length());
      streamLogs(ex, name, query.get("release"), (int) parseLong(query.getOrDefault("tail", "100"), "tail"),
          "true".equals(query.get("follow")));
    } else {
      throw ApiError.notFound("unknown-path", "no such endpoint: " + path + "; see docs/api.md");
    }
  }

  private void streamEvents(HttpExchange ex, long after) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    LinkedBlockingQueue<EventView> queue = new LinkedBlockingQueue<>();
    Runnable unsubscribe = plane.events().subscribe(queue::add);
    try (OutputStream out = ex.getResponseBody()) {
      long last = after;
      for (EventView e : plane.events().after(after)) {
        writeEvent(out, e);
        last = e.seq();
      }
      out.flush();
      while (true) {
        EventView e = queue.poll(15, TimeUnit.SECONDS);
        if (e == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          continue;
        }
        if (e.seq() <= last) {
          continue;
        }
        writeEvent(out, e);
        out.flush();
        last = e.seq();
        if ("shutdown".equals(e.kind())) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      unsubscribe.run();
    }
  }

  private static void writeEvent(OutputStream out, EventView e) throws IOException {
    String frame = "id: " + e.seq() + "\nevent: " + e.kind() + "\ndata: " + Json.MAPPER.writeValueAsString(e) + "\n\n";
    out.write(frame.getBytes(StandardCharsets.UTF_8));
  }

  private void streamLogs(HttpExchange ex, String service, String release, int tail, boolean follow)
      throws IOException {
    if (!plane.runner().hasService(service)) {
      throw ApiError.notFound("unknown-service", "no service named `" + service + "`; services: "
          + String.join(", ", plane.runner().app().services().keySet()));
    }
    List<String> lines;
    Map<String, java.nio.file.Path> files;
    try {
      // Read before the headers go out, so that an unknown release is a 404 and not an empty log.
      lines = plane.runner().logTail(service, release, Math.max(0, Math.min(tail, 10_000)));
      files = follow ? plane.runner().logFiles(service, release) : Map.of();
    } catch (EngineException e) {
      throw ReleaseRoutes.toApiError(e);
    }
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      if (follow) {
        new LogFollower(files, plane.masker()).follow(out, plane::isRunning);
      }
    }
  }

  private void authorize(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    String presented = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
    if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiError(401, "unauthorized", "Unauthorized",
          List.of("send `Authorization: Bearer <token>` with the token from .slipway/run/token"));
    }
  }

  private static long parseLong(String value, String name) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("query parameter `" + name + "` must be a whole number, got `" + value + "`");
    }
  }

}
