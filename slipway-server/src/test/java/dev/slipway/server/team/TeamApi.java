package dev.slipway.server.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.team.TeamPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A user of the team server over HTTP: their token on every call, answers read as JSON trees (the tests
 * check what a client sees, not how the server's classes serialise).
 */
final class TeamApi {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Supplier<URI> server;
  final String user;
  private final String token;

  TeamApi(Supplier<URI> server, String user, String token) {
    this.server = server;
    this.user = user;
    this.token = token;
  }

  /** One answer: its status and body (JSON, or null when empty). */
  record Answer(String call, int status, JsonNode body) {
    Answer expect(int expected) {
      if (status != expected) {
        throw new AssertionError(call + ": expected " + expected + ", got " + status + ": " + body);
      }
      return this;
    }

    /** The error's title and details as one text, for assertions on what a user reads. */
    String errorText() {
      return body == null ? "" : body.toString();
    }

    @Override
    public String toString() {
      return call + " → " + status + " " + body;
    }
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  Answer post(String path, Object body) throws IOException, InterruptedException {
    return send("POST", path, body);
  }

  Answer put(String path, Object body) throws IOException, InterruptedException {
    return send("PUT", path, body);
  }

  Answer delete(String path) throws IOException, InterruptedException {
    return send("DELETE", path, null);
  }

  Answer send(String method, String path, Object body) throws IOException, InterruptedException {
    String text = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
    HttpRequest.Builder b = HttpRequest.newBuilder(server.get().resolve(path)).timeout(Duration.ofSeconds(90))
        .header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
    return new Answer(user + ": " + method + " " + path, r.statusCode(), json);
  }

  /** A JSON object from alternating names and values. */
  static ObjectNode object(Object... namesAndValues) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      o.set((String) namesAndValues[i], JSON.valueToTree(namesAndValues[i + 1]));
    }
    return o;
  }

  /** Creates a user as this (admin) user and returns them as a client. */
  TeamApi addUser(String name, String... roles) throws IOException, InterruptedException {
    Answer a = post(TeamPaths.USERS, object("name", name, "roles", java.util.List.of(roles)));
    if (a.status() / 100 != 2) {
      throw new AssertionError(a.toString());
    }
    return new TeamApi(server, name, a.body().get("token").asText());
  }

  /** Follows a run until it has ended (long polls), returning its last view. */
  JsonNode awaitRun(long id, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode run = null;
    while (System.nanoTime() < deadline) {
      run = get(TeamPaths.RUNS + "/" + id + "?waitSeconds=5").expect(200).body();
      if (!run.path("finishedAt").isNull() && !run.path("finishedAt").isMissingNode()) {
        return run;
      }
    }
    throw new AssertionError("run " + id + " has not ended after " + timeout + ": " + run);
  }

  /** Polls a promotion until {@code done} says so. */
  JsonNode awaitPromotion(long id, java.util.function.Predicate<JsonNode> done, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode p = null;
    while (System.nanoTime() < deadline) {
      p = get(TeamPaths.PROMOTIONS + "/" + id).expect(200).body();
      if (done.test(p)) {
        return p;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("promotion " + id + " not as expected after " + timeout + ": " + p);
  }
}
