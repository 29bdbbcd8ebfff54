package dev.slipway.generate;

import static dev.slipway.generate.ComposeGeneratorTest.list;
import static dev.slipway.generate.ComposeGeneratorTest.map;
import static dev.slipway.generate.ComposeGeneratorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ci.yml with every way of building an image at once: Jib, the user's Dockerfile, a generated one, a missing one. */
class CiImagesTest {
  @TempDir
  Path dir;

  @Test
  void everyWay_validatesAgainstTheSchema_andTheReportSaysHowEachImageIsBuilt() throws Exception {
    Generated g = generate();

    for (Map.Entry<String, String> w : GitHubActionsGeneratorTest.workflows(g).entrySet()) {
      assertThat(GitHubActionsGeneratorTest.validate(yaml(w.getValue()))).as(w.getKey()).isEmpty();
    }
    Map<String, String> how = new LinkedHashMap<>();
    Map<String, Boolean> expressed = new LinkedHashMap<>();
    for (Generated.ReportLine l : g.report()) {
      if (l.modelPath().endsWith(".image")) {
        how.put(l.modelPath(), l.outcome());
        expressed.put(l.modelPath(), l.expressed());
      }
    }
    assertThat(how.get("services.api.image")).startsWith("built with Jib (Maven project api/pom.xml, no Dockerfile found)");
    assertThat(how.get("services.web.image")).startsWith("built with Dockerfile web/Dockerfile (found at web/Dockerfile)");
    assertThat(how.get("services.admin.image")).startsWith("built with generated docker/admin/Dockerfile (Gradle project "
        + "admin/build.gradle.kts, no Dockerfile found; Jib would need its plugin in the build)");
    assertThat(how.get("services.py.image")).startsWith("✗ expects py/Dockerfile, which does not exist");
    assertThat(expressed).containsEntry("services.api.image", true).containsEntry("services.py.image", false);
    assertThat(g.files()).containsKeys("docker/admin/Dockerfile", "docker/admin/Dockerfile.dockerignore")
        .doesNotContainKeys("docker/api/Dockerfile", "docker/web/Dockerfile", "docker/py/Dockerfile");
  }

  @Test
  void everyImageDeployYmlInstalls_isPushedByCiWithTheShaTag_whicheverWayItIsBuilt() throws Exception {
    Generated g = generate();
    Map<String, Object> jobs = map(yaml(g.files().get(".github/workflows/ci.yml")).get("jobs"));

    Map<String, String> pushedBy = new LinkedHashMap<>();
    for (String id : List.of("image", "image-jib")) {
      Map<String, Object> job = map(jobs.get(id));
      List<Map<String, Object>> steps = GitHubActionsGeneratorTest.steps(job);
      Map<String, Object> meta = steps.stream().filter(s -> "meta".equals(s.get("id"))).findFirst().orElseThrow();
      assertThat(map(meta.get("with")).get("tags").toString()).as(id).contains("type=sha,format=long");
      Map<String, Object> push = steps.stream().filter(s -> "Push image".equals(s.get("name"))).findFirst().orElseThrow();
      assertThat(push.get("if")).isEqualTo("github.event_name != 'pull_request'");
      if (id.equals("image")) {
        // Buildx pushes metadata-action's tags, sha-COMMIT among them.
        assertThat(map(push.get("with"))).containsEntry("push", true).containsEntry("tags", "${{ steps.meta.outputs.tags }}");
      } else {
        // Jib tags the image with every metadata-action tag; docker pushes them all.
        Map<String, Object> jib = steps.stream().filter(s -> "Build image with Jib".equals(s.get("name"))).findFirst()
            .orElseThrow();
        assertThat(map(jib.get("env"))).containsEntry("TAGS", "${{ steps.meta.outputs.tags }}");
        assertThat(jib.get("run").toString()).contains("-Djib.to.tags=\"$tags\"", "sed 's/.*://'");
        assertThat(push.get("run")).isEqualTo("docker push --all-tags \"$IMAGE\"");
      }
      for (Object e : list(map(map(job.get("strategy")).get("matrix")).get("include"))) {
        pushedBy.put(map(e).get("service").toString(), id);
      }
    }
    Matcher set = Pattern.compile("--set-string services\\.([a-z0-9-]+)\\.image\\.tag=sha-\\$\\{\\{ "
        + "github\\.event\\.workflow_run\\.head_sha }}").matcher(g.files().get(".github/workflows/deploy.yml"));
    List<String> installed = new ArrayList<>();
    while (set.find()) {
      installed.add(set.group(1));
    }
    assertThat(installed).containsExactly("api", "web", "admin", "py");
    assertThat(pushedBy).containsOnlyKeys(installed).containsEntry("api", "image-jib").containsEntry("admin", "image");
  }

  private Generated generate() throws Exception {
    Files.createDirectories(dir.resolve(".git"));
    write("pom.xml", "<project><modelVersion>4.0.0</modelVersion><groupId>dev.example</groupId><artifactId>parent"
        + "</artifactId><version>1</version><packaging>pom</packaging><modules><module>api</module></modules></project>");
    write("api/pom.xml", "<project><modelVersion>4.0.0</modelVersion><parent><groupId>dev.example</groupId>"
        + "<artifactId>parent</artifactId><version>1</version></parent><artifactId>api</artifactId></project>");
    write("web/Dockerfile", "FROM nginx:1.27\n");
    write("admin/build.gradle.kts", "plugins { java }\n");
    Path file = write("slipway.yaml", """
        name: mixed
        services:
          api:
            build: { command: "mvn -q -B -DskipTests package" }
            run: "java -jar api/target/api.jar"
            image: ghcr.io/acme/mixed-api
            port: 8080
          web:
            run: "nginx -g 'daemon off;'"
            image: ghcr.io/acme/mixed-web
            port: 8080
          admin:
            build: { command: "gradle -p admin build" }
            run: "java -jar admin/build/libs/admin.jar"
            image: ghcr.io/acme/mixed-admin
          py:
            run: "python3 app.py"
            image: ghcr.io/acme/mixed-py
        environments:
          production: { target: kubernetes }
        """);
    return new GitHubActionsGenerator().generate(ModelLoader.load(file, "production"),
        GenerateOptions.of(ModelLoader.load(file, "production"), false, null, null));
  }

  private Path write(String path, String text) throws IOException {
    Path p = dir.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }
}
