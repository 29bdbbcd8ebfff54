package dev.slipway.generate;

import static dev.slipway.generate.ComposeGeneratorTest.list;
import static dev.slipway.generate.ComposeGeneratorTest.map;
import static dev.slipway.generate.ComposeGeneratorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.model.ModelLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jib command ci.yml runs, run for real on a copy of the shop: the same Maven goal and flags, but
 * {@code buildTar} instead of {@code dockerBuild} (no Docker engine here) and {@code scratch} instead of
 * the JRE base (no registry here). The OCI tarball is then inspected, and the application in its
 * layers is started with the image's own entry point.
 */
class JibImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path work;

  @Test
  void ciJibCommand_buildsANonRootReproducibleImage_whoseEntryPointServes() throws Exception {
    Path model = ShopExample.copy(work);
    Generated g = new GitHubActionsGenerator().generate(ModelLoader.load(model, "production"),
        GenerateOptions.of(ModelLoader.load(model, "production"), false, null, null));
    Map<String, Object> jib = map(map(yaml(g.files().get(".github/workflows/ci.yml")).get("jobs")).get("image-jib"));
    String maven = null;
    for (Object e : list(map(map(jib.get("strategy")).get("matrix")).get("include"))) {
      if (map(e).get("service").equals("web")) {
        maven = map(e).get("maven").toString();
      }
    }
    assertThat(maven).contains(":dockerBuild", "-Djib.from.image=eclipse-temurin:21-jre-noble");
    String local = maven.replace(":dockerBuild", ":buildTar")
        .replace("-Djib.from.image=eclipse-temurin:21-jre-noble", "-Djib.from.image=scratch")
        + " -q -Djib.to.image=ghcr.io/acme/shop-web:sha-0123456789abcdef -Djib.to.tags=main,latest";

    BuildProcess.sh(work, local, 300);
    Image first = Image.read(work.resolve("web/target/jib-image.tar"), work.resolve("first"));

    JsonNode config = first.config().get("config");
    assertThat(config.get("User").asText()).isEqualTo("10001:10001");
    assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(JSON.convertValue(config.get("Entrypoint"), List.class))
        .containsExactly("java", "-cp", "@/app/jib-classpath-file", "dev.slipway.examples.shop.web.WebMain");
    assertThat(first.config().get("created").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(first.files()).contains("app/classes/dev/slipway/examples/shop/web/WebMain.class",
        "app/libs/shop-common-1.0.0.jar", "app/jib-classpath-file");
    assertThat(first.tags()).contains("ghcr.io/acme/shop-web:sha-0123456789abcdef");

    // Reproducible: the same sources give the same layers and config, byte for byte.
    BuildProcess.sh(work, local, 300);
    Image second = Image.read(work.resolve("web/target/jib-image.tar"), work.resolve("second"));
    assertThat(second.manifest()).isEqualTo(first.manifest());
    assertThat(second.configBytes()).isEqualTo(first.configBytes());

    // The entry point, with /app mapped to the unpacked layers, starts the service.
    Path root = first.root();
    String classpath = Files.readString(root.resolve("app/jib-classpath-file")).strip().replace("/app/", root + "/app/");
    Files.writeString(root.resolve("classpath"), classpath);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> entry = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", "@" + root.resolve("classpath"), config.get("Entrypoint").get(3).asText()));
    ProcessBuilder pb = new ProcessBuilder(entry).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(root.resolve("web.log").toFile());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("API_URL", "http://127.0.0.1:9");
    Process web = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      int status = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (status != 200 && System.nanoTime() < deadline && web.isAlive()) {
        try {
          status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(status).as(Files.readString(root.resolve("web.log"))).isEqualTo(200);
    } finally {
      web.destroy();
      if (!web.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        web.destroyForcibly().waitFor();
      }
    }
  }

  /** An image tarball as Jib writes it (Docker's {@code docker save} layout), unpacked under {@code dir}. */
  private record Image(JsonNode config, byte[] configBytes, String manifest, List<String> files, List<String> tags,
      Path root) {
    static Image read(Path tar, Path dir) throws Exception {
      Files.createDirectories(dir);
      BuildProcess.run(dir, List.of("tar", "-xf", tar.toString()), 60);
      String manifest = Files.readString(dir.resolve("manifest.json"));
      JsonNode m = JSON.readTree(manifest).get(0);
      byte[] configBytes = Files.readAllBytes(dir.resolve(m.get("Config").asText()));
      Path root = dir.resolve("rootfs");
      Files.createDirectories(root);
      List<String> files = new ArrayList<>();
      for (JsonNode layer : m.get("Layers")) {
        String listing = BuildProcess.run(dir, List.of("tar", "-tzf", layer.asText()), 60);
        listing.lines().filter(l -> !l.startsWith("tar:")).forEach(files::add);
        BuildProcess.run(root, List.of("tar", "-xzf", dir.resolve(layer.asText()).toString()), 60);
      }
      List<String> tags = new ArrayList<>();
      m.get("RepoTags").forEach(t -> tags.add(t.asText()));
      return new Image(JSON.readTree(configBytes), configBytes, manifest, files, tags, root);
    }
  }
}
