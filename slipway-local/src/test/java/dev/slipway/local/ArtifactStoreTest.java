package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.engine.runtime.ArtifactRef;
import dev.slipway.engine.runtime.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

  @TempDir
  Path base;
  private StateLayout layout;
  private ArtifactStore store;

  @BeforeEach
  void setUp() throws Exception {
    layout = new StateLayout(base.resolve(".slipway"));
    layout.ensure();
    store = new ArtifactStore(base, layout);
    write("target/app.jar", "jar v1");
    write("dist/index.html", "<h1>v1</h1>");
    write("dist/js/app.js", "console.log(1)");
  }

  private void write(String rel, String content) throws Exception {
    Path p = base.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  @Test
  void snapshot_copiesFilesAndDirectoriesAtTheirRelativePaths_readOnly() throws Exception {
    ArtifactRef ref = store.snapshot("api", List.of("target/app.jar", "dist"));

    assertThat(ref.digest()).matches("[0-9a-f]{64}");
    assertThat(ref.path()).isEqualTo(layout.artifacts().resolve(ref.digest()));
    assertThat(Files.readString(ref.path().resolve("target/app.jar"))).isEqualTo("jar v1");
    assertThat(Files.readString(ref.path().resolve("dist/js/app.js"))).isEqualTo("console.log(1)");
    assertThat(mode(ref.path())).isEqualTo("r-xr-xr-x");
    assertThat(mode(ref.path().resolve("dist/js"))).isEqualTo("r-xr-xr-x");
    assertThat(mode(ref.path().resolve("target/app.jar"))).isEqualTo("r--r--r--");
    try (Stream<Path> list = Files.list(layout.artifacts())) {
      assertThat(list.toList()).containsExactly(ref.path()); // no scratch directory left
    }
  }

  @Test
  void snapshot_ofUnchangedOutputs_reusesTheSnapshot_andAnyChangeMakesANewOne() throws Exception {
    ArtifactRef first = store.snapshot("api", List.of("target/app.jar", "dist"));
    Files.setLastModifiedTime(base.resolve("dist/index.html"), java.nio.file.attribute.FileTime.fromMillis(0));

    assertThat(store.snapshot("api", List.of("dist", "target/app.jar"))).isEqualTo(first);

    write("dist/index.html", "<h1>v2</h1>");
    ArtifactRef second = store.snapshot("api", List.of("target/app.jar", "dist"));
    assertThat(second.digest()).isNotEqualTo(first.digest());
    assertThat(Files.readString(first.path().resolve("dist/index.html"))).isEqualTo("<h1>v1</h1>");
    assertThat(Files.readString(second.path().resolve("dist/index.html"))).isEqualTo("<h1>v2</h1>");
  }

  @Test
  void snapshot_keepsTheExecuteBit_andItCountsInTheDigest() throws Exception {
    write("bin/run", "#!/bin/sh\necho hi\n");
    ArtifactRef plain = store.snapshot("api", List.of("bin"));
    Files.setPosixFilePermissions(base.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x"));

    ArtifactRef executable = store.snapshot("api", List.of("bin"));

    assertThat(executable.digest()).isNotEqualTo(plain.digest());
    assertThat(mode(executable.path().resolve("bin/run"))).isEqualTo("r-xr-xr-x");
    assertThat(mode(plain.path().resolve("bin/run"))).isEqualTo("r--r--r--");
  }

  @Test
  void snapshot_keepsLinksInsideAnOutputAsLinks() throws Exception {
    Files.createSymbolicLink(base.resolve("dist/current.js"), Path.of("js/app.js"));

    ArtifactRef ref = store.snapshot("web", List.of("dist"));

    assertThat(Files.readSymbolicLink(ref.path().resolve("dist/current.js"))).isEqualTo(Path.of("js/app.js"));
    assertThat(Files.readString(ref.path().resolve("dist/current.js"))).isEqualTo("console.log(1)");
  }

  @Test
  void snapshot_whenAnOutputIsMissing_namesItAndSaysWhatToCheck() {
    assertThatThrownBy(() -> store.snapshot("api", List.of("target/app.jar", "target/missing.jar")))
        .isInstanceOfSatisfying(TargetException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("build output `target/missing.jar` of `api` does not exist");
          assertThat(e.hint()).contains("services.api.build.outputs").contains(base.toString());
          assertThat(e.subject()).isEqualTo("api");
        });
  }

  @Test
  void snapshot_refusesPathsOutsideTheBaseDirectoryAndTheStateDirectory() {
    assertThatThrownBy(() -> store.snapshot("api", List.of("../elsewhere"))).isInstanceOf(TargetException.class)
        .hasMessageContaining("is not a path inside");
    assertThatThrownBy(() -> store.snapshot("api", List.of("."))).isInstanceOf(TargetException.class);
    assertThatThrownBy(() -> store.snapshot("api", List.of(".slipway"))).isInstanceOf(TargetException.class);
  }

  @Test
  void snapshot_concurrentlyOfTheSameOutputs_endsWithOneSnapshot() throws Exception {
    Callable<ArtifactRef> snap = () -> store.snapshot("api", List.of("target/app.jar", "dist"));
    try (var pool = Executors.newFixedThreadPool(4)) {
      var results = pool.invokeAll(List.of(snap, snap, snap, snap));
      ArtifactRef first = results.getFirst().get();
      for (var r : results) {
        assertThat(r.get()).isEqualTo(first);
      }
    }
    try (Stream<Path> list = Files.list(layout.artifacts())) {
      assertThat(list.toList()).hasSize(1);
    }
  }

  @Test
  void find_returnsOnlyStoredWellFormedDigests() throws Exception {
    ArtifactRef ref = store.snapshot("api", List.of("dist"));

    assertThat(store.find(ref.digest())).contains(ref);
    assertThat(store.find("0".repeat(64))).isEmpty();
    assertThat(store.find("../state")).isEmpty();
    assertThat(store.find(null)).isEmpty();
  }

  @Test
  void prune_deletesSnapshotsNotKept_evenThoughTheyAreReadOnly() throws Exception {
    ArtifactRef old = store.snapshot("api", List.of("dist"));
    write("dist/index.html", "<h1>v2</h1>");
    ArtifactRef kept = store.snapshot("api", List.of("dist"));

    List<String> lines = store.prune(Set.of(kept.digest()));

    assertThat(lines).singleElement().asString().startsWith("deleted artifact " + old.shortDigest());
    assertThat(old.path()).doesNotExist();
    assertThat(kept.path().resolve("dist/index.html")).exists();
    assertThat(store.prune(Set.of(kept.digest()))).isEmpty();
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
