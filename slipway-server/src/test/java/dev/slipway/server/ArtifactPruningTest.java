package dev.slipway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.local.LocalTarget;
import dev.slipway.store.NewRelease;
import dev.slipway.store.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactPruningTest {
  @TempDir Path base;

  @Test
  void atStartUp_keepsTheSnapshotOfEveryStoredRelease_andDeletesTheRest() throws Exception {
    Path stateDir = base.resolve(".slipway");
    String apiOld = snapshot(stateDir, 'a');
    String apiNew = snapshot(stateDir, 'b');
    String stagingWeb = snapshot(stateDir, 'c');
    String neverReleased = snapshot(stateDir, 'd');
    String superseded = snapshot(stateDir, 'e');
    List<String> said = new ArrayList<>();
    try (StateStore store = StateStore.open(null, stateDir)) {
      store.createRelease(new NewRelease("dev", "api", "1", apiOld, "{}", "{}", "test"));
      store.createRelease(new NewRelease("dev", "api", "2", apiNew, "{}", "{}", "test"));
      store.createRelease(new NewRelease("staging", "web", "1", stagingWeb, "{}", "{}", "test"));
      LocalTarget target = new LocalTarget("shop", base, stateDir, new SecretMasker());
      try {
        ArtifactPruning.atStartUp(target, store, said::add);
      } finally {
        target.close();
      }
    }

    Path artifacts = stateDir.resolve("artifacts");
    assertThat(artifacts.resolve(apiOld)).as("an earlier release: rollback may need it").isDirectory();
    assertThat(artifacts.resolve(apiNew).resolve("app.jar")).exists();
    assertThat(artifacts.resolve(stagingWeb)).as("another environment's release").isDirectory();
    assertThat(artifacts.resolve(neverReleased)).doesNotExist();
    assertThat(artifacts.resolve(superseded)).doesNotExist();
    assertThat(said).containsExactly("deleted artifact " + neverReleased.substring(0, 12) + " (1 KB)",
        "deleted artifact " + superseded.substring(0, 12) + " (1 KB)");
  }

  /** A snapshot directory as the artifact store leaves it: named by its digest, read-only. */
  private static String snapshot(Path stateDir, char fill) throws Exception {
    String digest = String.valueOf(fill).repeat(64);
    Path dir = Files.createDirectories(stateDir.resolve("artifacts").resolve(digest));
    Files.writeString(dir.resolve("app.jar"), "bytes");
    dir.resolve("app.jar").toFile().setWritable(false);
    dir.toFile().setWritable(false);
    return digest;
  }
}
