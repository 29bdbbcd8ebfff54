package dev.slipway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The router's admin API as its contract describes it, on a JDK HttpServer: enough to test the
 * client without the real router. Validates only what the tests need (generation, weights, token).
 */
final class FakeRouterAdmin implements RouterClient.Admin, AutoCloseable {

  static final String TOKEN = "0123456789abcdef";
  private HttpServer server;
  volatile long generation;
  volatile ObjectNode services = JsonFiles.MAPPER.createObjectNode();
  /** "METHOD path" of every request, in order. */
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> bodies = new CopyOnWriteArrayList<>();
  volatile String backendsJson = "[]";
  /** Applies the next PUT but answers 409, as when its answer is lost and the client sends it again. */
  volatile boolean loseNextAnswer;

  FakeRouterAdmin() throws IOException {
    start(0);
  }

  void start(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  void stop() {
    server.stop(0);
  }

  @Override
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public String token() {
    return TOKEN;
  }

  @Override
  public List<String> evidence() {
    return List.of("(fake router log)");
  }

  /** Another writer changed the config behind the client's back. */
  void bumpGeneration() {
    generation++;
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String method = x.getRequestMethod();
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(method + " " + path);
    if (path.equals("/health")) {
      send(x, 200, "{\"status\":\"UP\",\"generation\":" + generation + "}");
      return;
    }
    if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
      send(x, 401, problem(401, "Unauthorized", List.of()));
      return;
    }
    if (path.equals("/routes") && method.equals("GET")) {
      ObjectNode config = JsonFiles.MAPPER.createObjectNode().put("generation", generation);
      config.set("services", services);
      send(x, 200, config.toString());
    } else if (path.equals("/routes") && method.equals("PUT")) {
      bodies.add(body);
      JsonNode config = JsonFiles.MAPPER.readTree(body);
      if (config.path("generation").asLong(-1) != generation) {
        send(x, 409, problem(409, "Generation mismatch", List.of("current generation is " + generation)));
        return;
      }
      for (var s : config.path("services").properties()) {
        int sum = 0;
        for (var w : s.getValue().path("weights").properties()) {
          sum += w.getValue().asInt();
        }
        if (sum != 100) {
          send(x, 400, problem(400, "Invalid route configuration",
              List.of("services." + s.getKey() + ".weights: add up to " + sum + "; they must add up to 100")));
          return;
        }
      }
      services = (ObjectNode) config.path("services");
      generation++;
      if (loseNextAnswer) {
        loseNextAnswer = false;
        send(x, 409, problem(409, "Generation mismatch", List.of("current generation is " + generation)));
        return;
      }
      send(x, 200, "{\"generation\":" + generation + "}");
    } else if (path.matches("/routes/[^/]+/backends") && method.equals("GET")) {
      String service = path.split("/")[2];
      if (!services.has(service)) {
        send(x, 404, problem(404, "No such service", List.of(service)));
      } else {
        send(x, 200, backendsJson);
      }
    } else if (path.equals("/metrics")) {
      send(x, 200, "slipway_requests_total 0\n");
    } else {
      send(x, 404, problem(404, "Not found", List.of()));
    }
  }

  private static String problem(int status, String title, List<String> details) {
    ObjectNode p = JsonFiles.MAPPER.createObjectNode().put("title", title).put("status", status)
        .put("type", "about:blank");
    details.forEach(p.putArray("details")::add);
    return p.toString();
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  @Override
  public void close() {
    stop();
  }
}
