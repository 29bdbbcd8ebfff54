package dev.slipway.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 store against other processes: a control plane killed -9, a second control plane. */
class H2ProcessIT {
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  Path stateDir;
  @TempDir
  Path logDir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  @Test
  void killDashNine_rightAfterCommitsReturn_losesNoneOfThem() throws Exception {
    Process child = child("commit-loop");
    BufferedReader out = child.inputReader(UTF_8);
    long lastCommitted = 0;
    // Let it commit for a while, then kill it the moment a commit has returned.
    for (int i = 0; i < 200; i++) {
      lastCommitted = Long.parseLong(expectLine(out, child, "committed ").substring("committed ".length()));
    }
    child.destroyForcibly(); // SIGKILL
    assertThat(child.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    try (StateStore store = StateStore.open(null, stateDir)) {
      List<StoredEvent> events = store.events("prod", "api", lastCommitted - 1, 10);
      assertThat(events).as("the event committed just before the kill").isNotEmpty();
      assertThat(events.get(0).id()).isEqualTo(lastCommitted);
      assertThat(events.get(0).message()).isEqualTo("tick 200");
    }
  }

  @Test
  void open_whileAnotherProcessHasTheStoreOpen_failsFastSayingSo() throws Exception {
    Process holder = child("hold");
    expectLine(holder.inputReader(UTF_8), holder, "open");

    long start = System.nanoTime();
    assertThatThrownBy(() -> StateStore.open(null, stateDir))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("the state store " + stateDir.toAbsolutePath().resolve("state/slipway.mv.db")
            + " is in use by another process; is a control plane running? use `slipway status`");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("H2 open refused (in use) after %d ms%n", took.toMillis());
    assertThat(took).isLessThan(Duration.ofSeconds(5));

    holder.getOutputStream().close(); // the holder closes the store and exits
    assertThat(holder.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(holder.exitValue()).isZero();
    try (StateStore store = StateStore.open(null, stateDir)) {
      assertThat(store.releases("prod", "api")).isEmpty();
    }
  }

  @Test
  void open_createsTheStateDirectoryPrivateToItsOwner() throws Exception {
    Path nested = stateDir.resolve("a/b/.slipway");
    try (StateStore store = StateStore.open(null, nested)) {
      assertThat(Files.exists(nested.resolve("state/slipway.mv.db"))).isTrue();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.resolve("state"))))
          .isEqualTo("rwx------");
    }
  }

  /** What the control plane pays at every start, in a JVM of its own; printed for docs/benchmarks. */
  @Test
  void open_inAFreshJvm_takesWellUnderASecondOnceMigrated() throws Exception {
    long first = openTimeInChild();
    long second = openTimeInChild();
    long third = openTimeInChild();
    System.out.printf("H2 open in a fresh JVM: new store (create + migrate) %d ms; migrated store %d ms, %d ms%n",
        first, second, third);
    // Generous: the point is catching a wait or a Flyway run on every start, not timing a busy machine.
    assertThat(Math.min(second, third)).isLessThan(2_000);
  }

  private long openTimeInChild() throws Exception {
    Process child = child("open-time");
    String line = expectLine(child.inputReader(UTF_8), child, "open-ms ");
    assertThat(child.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return Long.parseLong(line.substring("open-ms ".length()));
  }

  private Process child(String mode) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StoreChild.class.getName(),
        mode, stateDir.toString())
        .redirectError(logDir.resolve(children.size() + "-" + mode + ".err").toFile())
        .start();
    children.add(p);
    return p;
  }

  /** The child's next line starting with {@code prefix}; fails with the children's stderr if it exits first. */
  private String expectLine(BufferedReader out, Process child, String prefix) throws Exception {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    child.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    StringBuilder stderr = new StringBuilder();
    try (var files = Files.list(logDir)) {
      for (Path f : files.sorted().toList()) {
        stderr.append('\n').append(f.getFileName()).append(":\n").append(Files.readString(f));
      }
    }
    throw new AssertionError("the child exited before printing '" + prefix + "'" + stderr);
  }
}
