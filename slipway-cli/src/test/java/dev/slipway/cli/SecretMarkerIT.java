package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A known marker secret from every source a secret can come from (a literal of a secret-named
 * variable, an {@code env:} and a {@code file:} secret, a {@code --set}, the password in an external
 * resource's URL, a generated password, the state store's password) must not appear, in clear or
 * in an obvious encoding, in any log, event, API response, CLI output, process command line,
 * state-store row or generated file, except the few files meant to hold it, which are private (0600).
 * The service prints its whole environment, the worst a service can do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretMarkerIT {
  @RegisterExtension
  static final TestPostgres POSTGRES = new TestPostgres();
  private static Path work;
  @RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);

  static final String LITERAL = "MkLit0/a+b=ZZ";
  static final String FROM_ENV = "MkEnv0/c+d=ZZ";
  static final String FROM_FILE = "MkFile0/e+f=ZZ";
  static final String SET = "MkSet\\0/g+h=\"ZZ";
  static final String EXTERNAL = "MkExt0/i+j=ZZ";
  static final String ENV_VARIABLE = "SLIPWAY_MARK_ENV";
  /**
   * Files that hold secrets by design, relative to the state directory: the generated passwords,
   * the Redis configuration that must carry its password, and the services' own output (they printed
   * the secrets themselves; `slipway logs` masks them, the files are the service's, ADR 0005).
   */
  static final List<String> MEANT_TO_HOLD_SECRETS = List.of("secrets.json", "data/cache/redis.conf", "logs/web-*.log");

  private static String model;
  private static String storeDatabase;
  private static String store;
  private static final Map<String, String> SINKS = new LinkedHashMap<>();

  @BeforeAll
  static void upAndDeploy() throws Exception {
    work = CliTestSupport.copyFixture("secret-marker", "slipway-secret-marker");
    CliTestSupport.compile(work.resolve("Leaky.java"), work.resolve("classes"));
    Files.writeString(work.resolve("marker.txt"), FROM_FILE + "\n");
    try (Connection c = POSTGRES.connect("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE marked LOGIN PASSWORD '" + EXTERNAL + "'");
      s.execute("CREATE DATABASE marked OWNER marked");
    }
    Files.writeString(work.resolve("slipway.yaml"), """
        name: marked
        secrets:
          fromEnv: env:%s
          fromFile: file:marker.txt
        resources:
          cache: { type: redis }
          ext: { type: postgres, provider: external, url: "postgres://marked:%s@127.0.0.1:%d/marked" }
        services:
          web:
            run: "java -cp classes Leaky"
            image: ghcr.io/acme/leaky:1.0.0
            port: 8080
            health: { ready: /, startupTimeout: 60s, interval: 1s }
            resources: { cpu: 100m, memory: 128Mi }
            env:
              ADMIN_PASSWORD: '%s'
              FROM_ENV: ${secrets.fromEnv}
              FROM_FILE: ${secrets.fromFile}
              CACHE_URL: ${resources.cache.url}
              EXT_URL: ${resources.ext.url}
              EXT_PASSWORD: ${resources.ext.password}
            dependsOn: { ext: healthy, cache: healthy }
        environments:
          dev: { target: local }
          production: { target: kubernetes }
        """.formatted(ENV_VARIABLE, URLEncoder.encode(EXTERNAL, StandardCharsets.UTF_8), POSTGRES.port(), LITERAL));
    model = work.resolve("slipway.yaml").toString();
    store = POSTGRES.newStore("markerstore");
    storeDatabase = "markerstore";
    SINKS.put("output of `up`", up());

    CliTestSupport.Result deploy = CliTestSupport.cli("deploy", "-f", model, "web", "--set", "API_TOKEN=" + SET,
        "--set", "PLAIN=visible", "--wait");
    SINKS.put("output of `deploy --set`", deploy.out() + deploy.err());
    assertThat(deploy.code()).as(deploy.output()).isZero();
  }

  /** {@code up --detach} as its own process: the env secret and the store URL come from its environment. */
  private static String up() throws Exception {
    Path upLog = work.resolve("up.log");
    Process up = CliTestSupport.cliProcess(upLog, Map.of(ENV_VARIABLE, FROM_ENV, UpCommand.STORE_VARIABLE, store),
        "up", "-f", model, "--detach");
    assertThat(up.waitFor(180, TimeUnit.SECONDS)).as("up finished").isTrue();
    String output = Files.readString(upLog);
    assertThat(up.exitValue()).as(output).isZero();
    Files.delete(upLog);
    return output;
  }

  @AfterAll
  static void down() {
    if (model != null) {
      CliTestSupport.cli("down", "-f", model);
    }
  }

  @Test
  void controlPlane_getsTheStoreUrlInAPrivateFile_neverOnItsCommandLineOrInItsServicesEnvironment() throws Exception {
    long pid = CliTestSupport.controlPlanePid(work);
    String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');

    assertThat(cmdline).contains("ControlPlaneMain").doesNotContain(TestPostgres.PASSWORD).doesNotContain("jdbc:");
    assertThat(work.resolve(".slipway/run/store-url")).as("deleted once read").doesNotExist();
    for (long instance : instancePids()) {
      assertThat(Files.readString(Path.of("/proc", Long.toString(instance), "environ")))
          .as("environment of instance %d", instance).doesNotContain(TestPostgres.PASSWORD);
    }
  }

  @Test
  void setSecret_reachesTheInstance_asItsValue() throws Exception {
    List<String> environments = new ArrayList<>();
    for (long instance : instancePids()) {
      environments.add(Files.readString(Path.of("/proc", Long.toString(instance), "environ")));
    }
    assertThat(environments).isNotEmpty().allSatisfy(env -> assertThat(env.split("\0"))
        .contains("API_TOKEN=" + SET, "ADMIN_PASSWORD=" + LITERAL, "PLAIN=visible"));
  }

  @Test
  void markers_appearNowhere_butInThePrivateFilesMeantToHoldThem() throws Exception {
    Map<String, String> sinks = new LinkedHashMap<>(SINKS);
    for (String[] args : List.of(new String[] {"status"}, new String[] {"status", "--json"},
        new String[] {"history", "web"}, new String[] {"history", "web", "--json"},
        new String[] {"config"}, new String[] {"config", "--env", "production"},
        new String[] {"logs", "web", "-n", "1000"})) {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("-f", model));
      CliTestSupport.Result r = CliTestSupport.cli(all.toArray(String[]::new));
      assertThat(r.code()).as(r.output()).isZero();
      sinks.put("`slipway " + String.join(" ", args) + "`", r.out() + r.err());
    }

    ControlPlaneClient plane = ControlPlaneClient.find(work.resolve(".slipway")).orElseThrow();
    for (String path : List.of("/api/v1/status", "/api/v1/events?follow=false", "/api/v1/services/web/history")) {
      sinks.put("API " + path, api(plane, path));
    }
    sinks.put("SSE /api/v1/events", serverSentEvents(plane, plane.lastEventSeq()));
    sinks.put("state store rows", storeRows());

    Path generated = work.resolve("generated");
    CliTestSupport.Result gen = CliTestSupport.cli("generate", "all", "-f", model, "-o", generated.toString());
    sinks.put("output of `generate all`", gen.out() + gen.err());
    sinks.putAll(files(generated, List.of()));
    sinks.putAll(files(work.resolve(".slipway"), MEANT_TO_HOLD_SECRETS));
    sinks.put("process command lines", commandLines());

    Map<String, String> markers = new LinkedHashMap<>();
    markers.put("literal", LITERAL);
    markers.put("env secret", FROM_ENV);
    markers.put("file secret", FROM_FILE);
    markers.put("--set", SET);
    markers.put("external url password", EXTERNAL);
    markers.put("store password", TestPostgres.PASSWORD);
    CliTestSupport.JSON.readTree(work.resolve(".slipway/secrets.json").toFile()).properties()
        .forEach(e -> markers.put("generated " + e.getKey(), e.getValue().asText()));
    assertThat(markers).hasSizeGreaterThan(6);

    List<String> found = new ArrayList<>();
    markers.forEach((source, secret) -> forms(secret).forEach((form, text) -> sinks.forEach((sink, content) -> {
      if (content.contains(text)) {
        found.add(source + " (" + form + ") in " + sink);
      }
    })));
    assertThat(found).isEmpty();
    assertThat(sinks.get("`slipway logs web -n 1000`")).as("the service printed its environment")
        .contains("env ADMIN_PASSWORD=****", "env API_TOKEN=****", "env PLAIN=visible");

    for (String allowed : List.of("secrets.json", "data/cache/redis.conf")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve(".slipway").resolve(allowed))))
          .as(allowed).isEqualTo("rw-------");
    }
    try (Stream<Path> logs = Files.list(work.resolve(".slipway/logs"))) {
      assertThat(logs.filter(p -> p.getFileName().toString().startsWith("web-")).toList()).isNotEmpty()
          .allSatisfy(p -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
              .as(p.toString()).isEqualTo("rw-------"));
    }
  }

  /**
   * After {@code kill -9} of the control plane, the next one takes over the running instance of the
   * {@code --set} release: it must know the kept value to mask it in the log the instance wrote.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void afterATakeOver_theKeptSetSecretIsStillMaskedInTheLog() throws Exception {
    List<Long> before = instancePids();
    long pid = CliTestSupport.controlPlanePid(work);
    CliTestSupport.kill("KILL", pid);
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());

    String output = up();
    CliTestSupport.Result logs = CliTestSupport.cli("logs", "web", "-n", "1000", "-f", model);

    assertThat(output).contains("taking over");
    assertThat(instancePids()).as("the same instance, adopted").isEqualTo(before);
    assertThat(logs.out()).contains("env API_TOKEN=****").doesNotContain(SET);
    assertThat(output + logs.out()).doesNotContain(SET).doesNotContain(LITERAL);

    // A fresh start runs the model's configuration again; the --set release's log must stay masked.
    String setRelease = CliTestSupport.JSON.readTree(CliTestSupport.cli("status", "-f", model, "--json").out())
        .get("services").get(0).get("instances").get(0).get("release").asText();
    assertThat(CliTestSupport.cli("down", "-f", model).code()).isZero();
    up();
    CliTestSupport.Result old = CliTestSupport.cli("logs", "web", "--release", setRelease, "-n", "1000", "-f", model);
    assertThat(old.code()).as(old.output()).isZero();
    assertThat(old.out()).contains("env API_TOKEN=****").doesNotContain(SET);
  }

  /** The secret as written and as the usual encodings would show it. */
  static Map<String, String> forms(String secret) {
    Map<String, String> forms = new LinkedHashMap<>();
    forms.put("clear", secret);
    String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    forms.put("URL-encoded", url);
    forms.put("percent-encoded", url.replace("+", "%20"));
    forms.put("base64", Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    forms.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    try {
      String json = CliTestSupport.JSON.writeValueAsString(secret);
      forms.put("JSON-escaped", json.substring(1, json.length() - 1));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    // Short secrets aside, none of these is ordinary text; drop duplicates so a finding names one form.
    return forms.entrySet().stream().collect(LinkedHashMap::new,
        (m, e) -> { if (!m.containsValue(e.getValue())) { m.put(e.getKey(), e.getValue()); } }, Map::putAll);
  }

  private static List<Long> instancePids() throws IOException {
    List<Long> pids = new ArrayList<>();
    CliTestSupport.JSON.readTree(CliTestSupport.cli("status", "-f", model, "--json").out()).get("services")
        .forEach(s -> s.get("instances").forEach(i -> pids.add(i.get("pid").asLong())));
    return pids;
  }

  private static String api(ControlPlaneClient plane, String path) throws Exception {
    String token = Files.readString(work.resolve(".slipway/run/token")).trim();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(plane.info().url() + path))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  /** The event stream from the start, read until the event numbered {@code last}. */
  private static String serverSentEvents(ControlPlaneClient plane, long last) throws Exception {
    String token = Files.readString(work.resolve(".slipway/run/token")).trim();
    HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(plane.info().url() + "/api/v1/events?after=0")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
    StringBuilder text = new StringBuilder();
    try (Stream<String> lines = r.body()) {
      var it = lines.iterator();
      while (it.hasNext()) {
        String line = it.next();
        text.append(line).append('\n');
        if (line.startsWith("data: ") && line.contains("\"seq\":" + last + ",")) {
          break;
        }
      }
    }
    assertThat(text).as("the stream reached event %d", last).contains("\"seq\":" + last);
    return text.toString();
  }

  /** Every row of every table of the state store, as text. */
  private static String storeRows() throws Exception {
    StringBuilder rows = new StringBuilder();
    try (Connection c = POSTGRES.connect(storeDatabase); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet t = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
        while (t.next()) {
          tables.add(t.getString(1));
        }
      }
      assertThat(tables).contains("releases");
      for (String table : tables) {
        try (ResultSet r = s.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
          while (r.next()) {
            rows.append(table).append(": ").append(r.getString(1)).append('\n');
          }
        }
      }
    }
    return rows.toString();
  }

  /** Every file under {@code dir} as text, by path, but those matching {@code allowed} (globs relative to it). */
  private static Map<String, String> files(Path dir, List<String> allowed) throws IOException {
    Map<String, String> texts = new LinkedHashMap<>();
    Set<java.nio.file.PathMatcher> matchers = new LinkedHashSet<>();
    allowed.forEach(g -> matchers.add(dir.getFileSystem().getPathMatcher("glob:" + g)));
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        Path rel = dir.relativize(p);
        if (matchers.stream().noneMatch(m -> m.matches(rel))) {
          texts.put("file " + p, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        }
      }
    }
    assertThat(texts).isNotEmpty();
    return texts;
  }

  private static String commandLines() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
        try {
          all.append(p.getFileName()).append(": ")
              .append(Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1).replace('\0', ' ')).append('\n');
        } catch (IOException gone) {
          // The process exited while we looked.
        }
      }
    }
    return all.toString();
  }
}
