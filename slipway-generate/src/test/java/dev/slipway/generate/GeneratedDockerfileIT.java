package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.generate.ImageBuild.GeneratedDockerfile;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import dev.slipway.model.ServiceSpec;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated Dockerfiles, built for real as far as this machine allows ({@link DockerfileSimulator}):
 * the build stage runs, the final stage gets exactly what it copies, and its entry point runs the
 * service. Detection would pick Jib for these Maven projects; the Dockerfile is rendered for them
 * directly, since a Gradle build cannot run here (no Gradle distribution is reachable) and the stages
 * differ only in the build command and its image.
 */
class GeneratedDockerfileIT {
  @TempDir
  Path work;

  @Test
  void shopWeb_multiModuleMavenBuild_imageHoldsJarAndLibs_andItsEntryPointServes() throws Exception {
    Path model = ShopExample.copy(work.resolve("shop"));
    // State that must never reach an image layer.
    Files.createDirectories(model.resolveSibling(".slipway"));
    Files.writeString(model.resolveSibling(".slipway/secrets.json"), "{\"db\":\"hunter2\"}");
    GeneratedDockerfile d = render(model, "web");

    DockerfileSimulator.Result image = DockerfileSimulator.build(d.contents(), d.ignore(), model.getParent(),
        work.resolve("image"));

    assertThat(work.resolve("image/stage0/workspace/pom.xml")).exists();
    assertThat(work.resolve("image/stage0/workspace/.slipway")).doesNotExist();
    assertThat(image.user()).isEqualTo("10001:10001");
    assertThat(image.finalRuns()).allMatch(r -> r.startsWith("groupadd --gid 10001 app && useradd --uid 10001"));
    assertThat(image.entrypoint()).containsExactly("java", "-jar", "web/target/web.jar");
    assertThat(image.workdir().resolve("web/target/lib/shop-common-1.0.0.jar")).exists();
    try (var files = Files.walk(image.workdir())) {
      assertThat(files.map(p -> image.workdir().relativize(p).toString()))
          .noneMatch(p -> p.endsWith(".java") || p.contains("secrets") || p.startsWith("api"));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process web = start(image, Map.of("PORT", Integer.toString(port), "API_URL", "http://127.0.0.1:9"));
    try {
      assertThat(waitFor200("http://127.0.0.1:" + port + "/health/live", web))
          .as(Files.readString(work.resolve("entrypoint.log"))).isEqualTo(200);
    } finally {
      stop(web);
    }
  }

  @Test
  void springBoot_layeredImage_fromToolsExtract_startsTheApplication() throws Exception {
    Path fixture = Path.of(GeneratedDockerfileIT.class.getResource("/dockerfile/boot").toURI());
    Path app = work.resolve("boot");
    try (var files = Files.walk(fixture)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = app.resolve(fixture.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    GeneratedDockerfile d = render(app.resolve("slipway.yaml"), "app");
    assertThat(d.contents()).contains("-Djarmode=tools", "COPY --from=build --chown=0:0 /layers/extracted/application/ ./");

    DockerfileSimulator.Result image = DockerfileSimulator.build(d.contents(), d.ignore(), app, work.resolve("image"));

    assertThat(image.entrypoint()).containsExactly("java", "-jar", "application.jar", "--spring.main.banner-mode=off");
    assertThat(image.workdir().resolve("application.jar")).exists();
    assertThat(image.workdir().resolve("lib")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("spring-boot-"));
    assertThat(image.exposed()).containsExactly(8080);
    Process boot = start(image, Map.of());
    assertThat(boot.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(work.resolve("entrypoint.log"));
    assertThat(boot.exitValue()).as(out).isZero();
    assertThat(out).contains("boot-app-ran --spring.main.banner-mode=off");
  }

  private static GeneratedDockerfile render(Path model, String service) {
    AppSpec app = ModelLoader.load(model, null);
    ServiceSpec s = app.service(service);
    ImageBuild how = JavaDockerfile.render(app, s, JavaProject.of(app, s).orElseThrow(), "test");
    assertThat(how).isInstanceOf(GeneratedDockerfile.class);
    return (GeneratedDockerfile) how;
  }

  /** The entry point, run in the final stage's working directory on this JVM's java. */
  private Process start(DockerfileSimulator.Result image, Map<String, String> env) throws Exception {
    List<String> argv = new ArrayList<>(image.entrypoint());
    assertThat(argv.getFirst()).isEqualTo("java");
    argv.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ProcessBuilder pb = new ProcessBuilder(argv).directory(image.workdir().toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("entrypoint.log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static int waitFor200(String url, Process p) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      try {
        int status = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode();
        if (status == 200) {
          return status;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    return -1;
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
  }
}
