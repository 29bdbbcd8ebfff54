package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.StatusView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's previews as a user runs them: {@code dev} and two previews of one model side by side on
 * this host, each answering with its own version and its own PostgreSQL database; the one with a 2s TTL
 * is removed by the next {@code slipway} command after it expired (no process, port or data left), the
 * other by {@code slipway preview down} after its control plane was killed (what it left is stopped
 * too); the quota refuses one more. The preview commands run as
 * processes of their own with a private registry ({@code XDG_STATE_HOME}).
 */
class PreviewsIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static Path work;
  private static String model;
  private static Path registry;
  private static Map<String, String> env;

  @BeforeAll
  static void fixture() throws Exception {
    work = CliTestSupport.copyFixture("previews", "slipway-previews-it");
    CliTestSupport.compile(work.resolve("Notes.java"), work.resolve("classes"));
    Path driver = Path.of(Class.forName("org.postgresql.Driver").getProtectionDomain().getCodeSource().getLocation().toURI());
    Files.copy(driver, work.resolve("pg.jar"));
    model = work.resolve("slipway.yaml").toString();
    registry = work.resolve("xdg/slipway/previews");
    env = Map.of("XDG_STATE_HOME", work.resolve("xdg").toString(), "SLIPWAY_PREVIEW_QUOTA", "2");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    slipway(env, "preview", "down", "pr-1");
    slipway(env, "preview", "down", "pr-2");
    CliTestSupport.cli("down", "-f", model, "--volumes");
  }

  @Test
  void devAndTwoPreviews_sideBySide_withTheirOwnVersionAndDatabase_oneExpires_theOtherGoesWithDown() throws Exception {
    CliTestSupport.upDetached(work);
    String dev = ControlPlaneClient.find(work.resolve(".slipway")).orElseThrow().status().services().get(0).url();

    CliTestSupport.Result two = slipway(env, "preview", "up", "pr-2", "-f", model, "--ttl", "1h", "--version", "v2");
    assertThat(two.code()).as(two.output()).isZero();
    assertThat(two.out()).contains("pr-2").contains("web  http://127.0.0.1:");

    CliTestSupport.Result refused = slipway(Map.of("XDG_STATE_HOME", env.get("XDG_STATE_HOME"), "SLIPWAY_PREVIEW_QUOTA",
        "1"), "preview", "up", "pr-3", "-f", model);
    assertThat(refused.code()).as(refused.output()).isEqualTo(1);
    assertThat(refused.err()).contains("1 preview exists (pr-2), the quota is 1")
        .contains("remove one with `slipway preview down NAME`, or raise SLIPWAY_PREVIEW_QUOTA");
    assertThat(registry.resolve("pr-3")).doesNotExist();

    CliTestSupport.Result one = slipway(env, "preview", "up", "pr-1", "-f", model, "--ttl", "2s", "--version", "v1");
    assertThat(one.code()).as(one.output()).isZero();
    Instant upAt = Instant.now();

    String url1 = status("pr-1").services().get(0).url();
    String url2 = status("pr-2").services().get(0).url();
    assertThat(Set.of(dev, url1, url2)).hasSize(3);
    assertThat(get(url1 + "/")).isEqualTo("notes v1\n");
    assertThat(get(url2 + "/")).isEqualTo("notes v2\n");
    assertThat(get(dev + "/")).startsWith("notes ").doesNotContain("v1").doesNotContain("v2");
    // Each its own database: a note written in pr-1 is in pr-1 only.
    assertThat(post(url1 + "/notes?n=from-pr-1")).isEqualTo("from-pr-1\n");
    assertThat(get(url2 + "/notes")).isEmpty();
    assertThat(get(dev + "/notes")).isEmpty();
    assertThat(status("pr-1").resources().get(0).port()).isNotEqualTo(status("pr-2").resources().get(0).port());

    Path home1 = registry.resolve("pr-1");
    Set<Long> pids1 = pids("pr-1");
    Set<Integer> ports1 = ports("pr-1");
    assertThat(pids1).hasSizeGreaterThanOrEqualTo(3);
    assertThat(processesMentioning(home1)).isNotEmpty();

    long wait = Duration.between(Instant.now(), upAt.plusSeconds(3)).toMillis();
    Thread.sleep(Math.max(0, wait));
    CliTestSupport.Result list = slipway(env, "preview", "list", "--json");
    assertThat(list.code()).as(list.output()).isZero();
    assertThat(list.err()).contains("removed expired preview pr-1 (TTL 2s passed at");
    JsonNode listed = CliTestSupport.JSON.readTree(list.out());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("name").asText()).isEqualTo("pr-2");
    assertGone(home1, pids1, ports1, "pr-1");

    Set<Long> pids2 = pids("pr-2");
    Set<Integer> ports2 = ports("pr-2");
    Path home2 = registry.resolve("pr-2");
    // Its control plane dies (kill -9): its router, instance and database keep running, and `list` says so.
    long controlPlane = status("pr-2").controlPlane().pid();
    CliTestSupport.kill("KILL", controlPlane);
    for (int i = 0; i < 100 && running(controlPlane); i++) {
      Thread.sleep(50);
    }
    assertThat(get(url2 + "/")).isEqualTo("notes v2\n");
    CliTestSupport.Result orphan = slipway(env, "preview", "list");
    assertThat(orphan.out()).contains("pr-2  failed").contains("is gone");
    CliTestSupport.Result down = slipway(env, "preview", "down", "pr-2");
    assertThat(down.code()).as(down.output()).isZero();
    assertThat(down.err()).doesNotContain("removed expired");
    assertGone(home2, pids2, ports2, "pr-2");

    assertThat(get(dev + "/")).startsWith("notes "); // dev never noticed
  }

  private static void assertGone(Path home, Set<Long> pids, Set<Integer> ports, String name) throws IOException {
    assertThat(home).as("its files").doesNotExist();
    assertThat(registry.resolve(name + ".json")).as("its record").doesNotExist();
    assertThat(pids.stream().filter(PreviewsIT::running).toList()).as("its processes").isEmpty();
    assertThat(processesMentioning(home)).as("processes naming its state directory").isEmpty();
    assertThat(ports.stream().filter(PreviewsIT::listening).toList()).as("its ports").isEmpty();
  }

  private static StatusView status(String preview) {
    return ControlPlaneClient.find(registry.resolve(preview).resolve("state")).orElseThrow().status();
  }

  /** The control plane's, the instances' and the backing services' pids. */
  private static Set<Long> pids(String preview) {
    StatusView s = status(preview);
    Set<Long> pids = new HashSet<>(List.of(s.controlPlane().pid()));
    s.services().forEach(svc -> svc.instances().forEach(i -> pids.add(i.pid())));
    s.resources().forEach(r -> pids.add(r.pid()));
    pids.remove(-1L);
    return pids;
  }

  /** The control plane's API port, the router's ports for the services, the instances' and the database's. */
  private static Set<Integer> ports(String preview) {
    StatusView s = status(preview);
    Set<Integer> ports = new HashSet<>(List.of(URI.create(s.controlPlane().url()).getPort()));
    s.services().forEach(svc -> {
      ports.add(URI.create(svc.url()).getPort());
      svc.instances().forEach(i -> ports.add(i.port()));
    });
    s.resources().forEach(r -> ports.add(r.port()));
    return ports;
  }

  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Live processes whose command line names {@code dir} (the control plane, router, database of a preview). */
  private static List<String> processesMentioning(Path dir) throws IOException {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : dirs) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains(dir.toString()) && running(Long.parseLong(p.getFileName().toString()))) {
            found.add(p.getFileName() + ": " + cmd);
          }
        } catch (IOException e) {
          // Gone while we looked.
        }
      }
    }
    return found;
  }

  /** Runs {@code slipway ARGS} as its own process with {@code vars}; stdout and stderr apart. */
  private static CliTestSupport.Result slipway(Map<String, String> vars, String... args) throws Exception {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(vars);
    pb.environment().remove("SLIPWAY_SERVER");
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
    }
    // one line per command in the test's output file, for whoever reads a slow or failed CI run
    System.out.printf("exit %d in %.1fs: slipway %s%n", p.exitValue(), (System.nanoTime() - t0) / 1e9,
        String.join(" ", args));
    return new CliTestSupport.Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private static String post(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return r.body();
  }
}
