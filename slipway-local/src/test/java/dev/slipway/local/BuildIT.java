package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.engine.runtime.BuildResult;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final BuildSpec APP = new BuildSpec(
      "mkdir -p out && cat src/* > out/app.txt && echo built >> builds.count",
      List.of("src"), List.of("out/app.txt"));

  @TempDir
  Path base;
  private LocalTarget target;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(base.resolve("src"));
    Files.writeString(base.resolve("src/main.txt"), "v1");
    target = newTarget();
  }

  @AfterEach
  void noProcessLeftBehind() throws Exception {
    target.close();
    Procs.assertNothingLeft(base);
  }

  private LocalTarget newTarget() {
    return new LocalTarget("demo", base, base.resolve(".slipway"), new SecretMasker());
  }

  /** A later `up`: a new target on the same state directory. */
  private BuildResult buildInNextSession(BuildSpec spec) throws Exception {
    target.close();
    target = newTarget();
    return target.build("api", spec, DEADLINE);
  }

  private long buildCount() throws Exception {
    return Files.readAllLines(base.resolve("builds.count")).size();
  }

  @Test
  void build_whenInputsUnchanged_isSkipped() throws Exception {
    BuildResult first = target.build("api", APP, DEADLINE);
    BuildResult second = buildInNextSession(APP);

    assertThat(first.ran()).isTrue();
    assertThat(first.reason()).isEqualTo("first build");
    assertThat(second.ran()).isFalse();
    assertThat(second.reason()).isEqualTo("inputs unchanged");
    assertThat(second.digest()).isEqualTo(first.digest());
    assertThat(second.took()).isZero();
    assertThat(buildCount()).isEqualTo(1);
  }

  @Test
  void build_whenAnInputChanges_runsAgainWithANewDigest() throws Exception {
    BuildResult first = target.build("api", APP, DEADLINE);
    Files.writeString(base.resolve("src/main.txt"), "v2");

    BuildResult second = buildInNextSession(APP);

    assertThat(second.ran()).isTrue();
    assertThat(second.reason()).isEqualTo("inputs changed");
    assertThat(second.version()).isNotEqualTo(first.version()).hasSize(12);
    assertThat(Files.readString(base.resolve("out/app.txt"))).isEqualTo("v2");
  }

  @Test
  void build_whenAnOutputIsMissing_runsAgain() throws Exception {
    target.build("api", APP, DEADLINE);
    Files.delete(base.resolve("out/app.txt"));

    BuildResult second = buildInNextSession(APP);

    assertThat(second.ran()).isTrue();
    assertThat(second.reason()).isEqualTo("output missing: out/app.txt");
    assertThat(buildCount()).isEqualTo(2);
  }

  @Test
  void build_twoServicesSharingACommand_buildOnceInASession() throws Exception {
    BuildResult api = target.build("api", APP, DEADLINE);
    BuildResult worker = target.build("worker", APP, DEADLINE);

    assertThat(api.ran()).isTrue();
    assertThat(worker.ran()).isFalse();
    assertThat(worker.reason()).contains("already built for `api`");
    assertThat(buildCount()).isEqualTo(1);
    // ...and the worker's digest was recorded, so the next session skips it too.
    target.close();
    target = newTarget();
    assertThat(target.build("worker", APP, DEADLINE).reason()).isEqualTo("inputs unchanged");
  }

  /** A deploy after an edit, in the same control-plane session as the `up` that built everything. */
  @Test
  void build_sharedCommand_whenInputsChangedSinceItRan_runsAgain_andShipsTheEdit() throws Exception {
    target.build("api", APP, DEADLINE);
    target.build("worker", APP, DEADLINE);
    Files.writeString(base.resolve("src/main.txt"), "v2");

    BuildResult worker = target.build("worker", APP, DEADLINE);

    assertThat(worker.ran()).as(worker.reason()).isTrue();
    assertThat(Files.readString(base.resolve("out/app.txt"))).isEqualTo("v2");
    assertThat(buildCount()).isEqualTo(2);
    BuildResult api = target.build("api", APP, DEADLINE);
    assertThat(api.ran()).as("api's inputs are those the worker's build just read").isFalse();
    assertThat(buildCount()).isEqualTo(2);
    assertThat(buildInNextSession(APP).reason()).isEqualTo("inputs unchanged");
  }

  @Test
  void build_whenTheCommandFails_carriesTheLogTailAndNamesTheLog() {
    BuildSpec failing = new BuildSpec("echo compiling; echo 'Main.java:3: error: boom' >&2; exit 2",
        List.of("src"), List.of());

    assertThatThrownBy(() -> target.build("api", failing, DEADLINE))
        .isInstanceOfSatisfying(TargetException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("build of `api` failed with exit code 2");
          assertThat(e.subject()).isEqualTo("api");
          assertThat(e.details()).contains("compiling", "Main.java:3: error: boom");
          assertThat(e.hint()).contains(".slipway/logs/build-api.log");
        });
  }

  @Test
  void build_pastItsDeadline_killsTheWholeGroup() {
    BuildSpec slow = new BuildSpec("sleep 300 & sleep 300", List.of(), List.of());
    long t0 = System.nanoTime();

    assertThatThrownBy(() -> target.build("api", slow, Duration.ofMillis(500)))
        .isInstanceOf(TargetException.class)
        .hasMessage("build of `api` did not finish within 500 ms and was killed");

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(Procs.under(base)).isEmpty();
  }

  @Test
  void build_whenAnInputIsMissing_saysWhichAndWhere() {
    BuildSpec spec = new BuildSpec("true", List.of("src", "pom.xml"), List.of());

    assertThatThrownBy(() -> target.build("api", spec, DEADLINE))
        .isInstanceOfSatisfying(TargetException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("build input `pom.xml` of `api` does not exist");
          assertThat(e.hint()).contains("services.api.build.inputs");
        });
  }
}
