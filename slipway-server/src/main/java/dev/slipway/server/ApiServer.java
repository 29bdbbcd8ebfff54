package dev.slipway.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.api.ApiPaths;
import dev.slipway.api.DownRequest;
import dev.slipway.api.ErrorView;
import dev.slipway.api.EventView;
import dev.slipway.engine.EngineException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
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
      sendError(ex, e.status, e.type, e.getMessage(), e.details);
    } catch (IOException e) {
      // The client went away mid-response; nothing to answer.
    } catch (RuntimeException e) {
      sendError(ex, 500, "internal", "Internal error", List.of(String.valueOf(e)));
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals(ApiPaths.HEALTH)) {
      requireMethod(method, "GET");
      sendJson(ex, 200, Map.of("status", "UP", "pid", ProcessHandle.current().pid()));
      return;
    }
    if (!path.startsWith("/api/v1/")) {
      throw ApiError.notFound("unknown-path", "no such endpoint: " + path + "; see docs/api.md");
    }
    authorize(ex);
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    if (path.equals(ApiPaths.STATUS)) {
      requireMethod(method, "GET");
      sendJson(ex, 200, plane.status());
    } else if (path.equals(ApiPaths.EVENTS)) {
      requireMethod(method, "GET");
      long after = parseLong(query.getOrDefault("after", "0"), "after");
      if ("false".equals(query.get("follow"))) {
        sendJson(ex, 200, plane.events().after(after));
      } else {
        streamEvents(ex, after);
      }
    } else if (path.equals(ApiPaths.DOWN)) {
      requireMethod(method, "POST");
      byte[] body = ex.getRequestBody().readAllBytes();
      DownRequest request = body.length == 0 ? new DownRequest(false)
          : Json.MAPPER.readValue(body, DownRequest.class);
      plane.requestShutdown(request.volumes());
      sendJson(ex, 202, Map.of("state", "stopping", "volumes", request.volumes()));
    } else if (path.startsWith(ApiPaths.SERVICES) && path.indexOf('/', ApiPaths.SERVICES.length()) > 0
        && !path.endsWith("/logs")) {
      String rest = path.substring(ApiPaths.SERVICES.length());
      String name = rest.substring(0, rest.indexOf('/'));
      String action = rest.substring(rest.indexOf('/') + 1);
      new ReleaseRoutes(plane.runner().releases()).handle(ex, method, name, action);
    } else if (path.startsWith(ApiPaths.SERVICES) && path.endsWith("/logs")) {
      requireMethod(method, "GET");
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

  static void requireMethod(String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new ApiError(405, "method-not-allowed", "Method not allowed",
          List.of("use " + expected + ", not " + actual));
    }
  }

  private static long parseLong(String value, String name) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("query parameter `" + name + "` must be a whole number, got `" + value + "`");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendError(HttpExchange ex, int status, String type, String title, List<String> details) {
    try {
      sendJson(ex, status, new ErrorView(title, status, type, details));
    } catch (IOException | RuntimeException ignored) {
      // Headers may already be sent (streaming); the client sees the connection end.
    }
  }
}
