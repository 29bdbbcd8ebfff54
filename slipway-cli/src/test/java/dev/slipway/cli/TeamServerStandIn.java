package dev.slipway.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.api.ErrorView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on a free loopback port standing in for the team server in the CLI's unit tests:
 * it answers each route with canned API records, checks the bearer token as the server does (401 with
 * an {@link ErrorView} otherwise) and records every request it got.
 */
final class TeamServerStandIn implements AutoCloseable {
  private final HttpServer http;
  private final String token;
  private final Map<String, Function<Request, Reply>> routes = new LinkedHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  /** One request as it arrived. */
  record Request(String method, String path, String query, String authorization, String body) {
    String line() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }

  /** An answer: a status and a body (serialised as JSON unless it is a String or null). */
  record Reply(int status, Object body) {}

  TeamServerStandIn(String token) throws IOException {
    this.token = token;
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext("/", this::handle);
    http.start();
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** Answers {@code METHOD PATH} (the path without its query) with {@code reply}. */
  TeamServerStandIn on(String methodAndPath, Function<Request, Reply> reply) {
    routes.put(methodAndPath, reply);
    return this;
  }

  TeamServerStandIn on(String methodAndPath, int status, Object body) {
    return on(methodAndPath, r -> new Reply(status, body));
  }

  static ErrorView error(int status, String type, String... details) {
    return new ErrorView(switch (status) {
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 409 -> "Conflict";
      default -> "Error";
    }, status, type, List.of(details));
  }

  List<String> lines() {
    List<String> out = new ArrayList<>();
    requests.forEach(r -> out.add(r.line()));
    return out;
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request r = new Request(x.getRequestMethod(), x.getRequestURI().getPath(), x.getRequestURI().getRawQuery(),
          x.getRequestHeaders().getFirst("Authorization"), body);
      requests.add(r);
      Reply reply;
      if (!("Bearer " + token).equals(r.authorization())) {
        reply = new Reply(401, error(401, "unauthorized", "the token is not known to this server",
            "log in again: slipway login --server URL"));
      } else {
        Function<Request, Reply> route = routes.get(r.method() + " " + r.path());
        reply = route == null ? new Reply(404, error(404, "not-found", "no route " + r.line())) : route.apply(r);
      }
      byte[] bytes = reply.body() == null ? new byte[0] : reply.body() instanceof String s
          ? s.getBytes(StandardCharsets.UTF_8) : TeamClient.JSON.writeValueAsBytes(reply.body());
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        x.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
