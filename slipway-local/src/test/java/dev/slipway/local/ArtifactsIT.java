package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.engine.runtime.ArtifactRef;
import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Releases run from their artifact snapshot, whatever happens to the working tree afterwards. */
class ArtifactsIT {

  private static final BuildSpec BUILD = new BuildSpec("mkdir -p dist && echo v1 > dist/version.txt",
      List.of(), List.of("dist"));

  @TempDir
  Path base;
  private LocalTarget target;

  @BeforeEach
  void setUp() {
    target = new LocalTarget("demo", base, base.resolve(".slipway"), new SecretMasker());
  }

  @AfterEach
  void noProcessLeftBehind() throws Exception {
    target.close();
    Procs.assertNothingLeft(base);
  }

  private Instance start(ArtifactRef ref) throws Exception {
    return target.startInstance(new InstanceSpec("api", "api-r1-1", "api-r1", ref.shortDigest(),
        "cat dist/version.txt; exec sleep 300", ref.path(), Map.of(), 0, Duration.ofSeconds(2)));
  }

  @Test
  void instance_runsInItsSnapshot_andAChangedWorkingTreeDoesNotReachIt() throws Exception {
    target.build("api", BUILD, Duration.ofSeconds(30));
    ArtifactRef ref = target.snapshot("api", BUILD);
    Files.writeString(base.resolve("dist/version.txt"), "v2\n"); // the next build, already under way

    Instance api = start(ref);

    assertThat(Procs.await(Duration.ofSeconds(5), () -> api.tail(5).contains("v1"))).isTrue();
    assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(api.pid()), "cwd"))).isEqualTo(ref.path());
    assertThat(target.artifact(ref.digest())).contains(ref);
    assertThat(target.snapshot("api", new BuildSpec("true", List.of(), List.of()))).isNull();
  }

  @Test
  void pruneArtifacts_keepsWhatARunningInstanceUses_andDeletesTheRest() throws Exception {
    target.build("api", BUILD, Duration.ofSeconds(30));
    ArtifactRef ref = target.snapshot("api", BUILD);
    Instance api = start(ref);

    assertThat(target.pruneArtifacts(Set.of())).isEmpty();
    assertThat(ref.path()).exists();

    api.stop(Duration.ofSeconds(2));
    assertThat(target.pruneArtifacts(Set.of())).singleElement().asString()
        .startsWith("deleted artifact " + ref.shortDigest());
    assertThat(target.artifact(ref.digest())).isEmpty();
    assertThatThrownBy(() -> start(ref)).isInstanceOfSatisfying(TargetException.class,
        e -> assertThat(e.hint()).contains("pruned"));
  }
}
