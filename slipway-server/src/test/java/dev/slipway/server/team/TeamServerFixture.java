package dev.slipway.server.team;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import dev.slipway.server.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A team server started in-process on a free port, over a fresh database of {@link TeamPostgres} and a
 * mock cluster with a simulated kubelet; the ITs talk HTTP to it.
 */
final class TeamServerFixture implements AutoCloseable {
  static final String MODEL = "/team/slipway.yaml";
  static final String CONTEXT = "kind-team";

  final TeamPostgres postgres;
  final String database;
  final Path dir;
  final Path model;
  final Path kubeconfig;
  final MockCluster cluster;
  final SimKubelet kubelet;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final HttpClient http = HttpClient.newHttpClient();
  TeamServerMain.Running running;
  String storeUrl;

  TeamServerFixture(TeamPostgres postgres, String database, MockCluster cluster, SimKubelet kubelet) throws Exception {
    this.postgres = postgres;
    this.database = database;
    this.cluster = cluster;
    this.kubelet = kubelet;
    this.dir = Files.createTempDirectory("slipway-team-it");
    this.model = dir.resolve("slipway.yaml");
    try (var in = TeamServerFixture.class.getResourceAsStream(MODEL)) {
      Files.write(model, in.readAllBytes());
    }
    this.kubeconfig = cluster.writeKubeconfig(dir, CONTEXT);
    this.storeUrl = postgres.newStore(database);
  }

  /** Starts (or restarts) the server on the same data directory and database. */
  URI start() throws Exception {
    Path password = dir.resolve("store-password");
    if (!Files.exists(password)) {
      Files.createFile(password, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(password, TeamPostgres.PASSWORD);
    }
    List<String> errors = new ArrayList<>();
    TeamServerArgs args = TeamServerArgs.parse(new String[] {"-f", model.toString(), "--data", dir.resolve("data")
        .toString(), "--store", storeUrl, "--store-password-file", password.toString(), "--listen", "127.0.0.1:0",
        "--kubeconfig", kubeconfig.toString()}, errors);
    if (!errors.isEmpty()) {
      throw new IllegalStateException(String.join("\n", errors));
    }
    running = TeamServerMain.start(args, ServerDatabase.settings(args.storeUrl(), args.storePasswordFile(), Map.of()),
        Clock.systemUTC(), 1, new PrintStream(out, true, StandardCharsets.UTF_8));
    return running.app().url();
  }

  void stop() {
    if (running != null) {
      running.close();
      running = null;
    }
  }

  String adminToken() throws IOException {
    return Files.readString(dir.resolve("data").resolve(TeamApp.ADMIN_TOKEN_FILE)).strip();
  }

  JsonNode json(Path file) throws IOException {
    return Json.MAPPER.readTree(Files.readString(file));
  }

  /** An audit entry as the API returned it, as the chain hashes it. */
  dev.slipway.api.team.AuditEntryView entry(JsonNode e) throws IOException {
    return Json.MAPPER.treeToValue(e, dev.slipway.api.team.AuditEntryView.class);
  }

  Connection db() throws Exception {
    return postgres.connect(database);
  }

  /** One HTTP exchange; the body is JSON text or null. */
  Reply call(String method, String path, String token, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(running.app().url().resolve(path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
    HttpResponse<String> r = http.send(b.header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  Reply get(String path, String token) throws Exception {
    return call("GET", path, token, null);
  }

  Reply post(String path, String token, Object body) throws Exception {
    return call("POST", path, token, body);
  }

  /** An HTTP answer. */
  record Reply(int status, String body) {
    JsonNode json() throws IOException {
      return Json.MAPPER.readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
