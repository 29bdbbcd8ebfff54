package dev.slipway.server.team;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeamServerArgsTest {
  @TempDir
  Path dir;

  @Test
  void goodArguments_areTaken_withThePortDefaulting7070OnLoopback() throws Exception {
    Path model = Files.writeString(dir.resolve("slipway.yaml"), "name: x\n");
    List<String> errors = new ArrayList<>();
    TeamServerArgs a = TeamServerArgs.parse(new String[] {"-f", model.toString(), "--data", dir.resolve("d").toString(),
        "--preview-quota", "3"}, errors);

    assertThat(errors).isEmpty();
    assertThat(a.listen().getPort()).isEqualTo(7070);
    assertThat(a.listen().getAddress().isLoopbackAddress()).isTrue();
    assertThat(a.previewQuota()).isEqualTo(3);
    assertThat(a.dataDir()).isEqualTo(dir.resolve("d"));
  }

  @Test
  void portZero_isAllowed() throws Exception {
    Path model = Files.writeString(dir.resolve("slipway.yaml"), "name: x\n");
    List<String> errors = new ArrayList<>();
    TeamServerArgs a = TeamServerArgs.parse(new String[] {"-f", model.toString(), "--listen", "127.0.0.1:0"}, errors);

    assertThat(errors).isEmpty();
    assertThat(a.listen().getPort()).isZero();
  }

  @Test
  void badArguments_eachSayWhatToDo_andMainExits2WithoutAStackTrace() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = TeamServerMain.run(new String[] {"-f", dir.resolve("missing.yaml").toString(), "--listen", "0.0.0.0:80",
        "--preview-quota", "-1", "--bogus"},
        new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err));

    String text = err.toString();
    assertThat(code).isEqualTo(2);
    assertThat(text).contains("no model file at").contains("-f path/to/slipway.yaml")
        .contains("listens on loopback only").contains("--listen 127.0.0.1:PORT")
        .contains("--preview-quota `-1`").contains("unknown option `--bogus`")
        .doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void aPasswordInTheStoreUrl_exits2_neverEchoingIt() throws Exception {
    Path model = Files.writeString(dir.resolve("slipway.yaml"), "name: x\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = TeamServerMain.run(new String[] {"-f", model.toString(), "--data", dir.resolve("d").toString(),
        "--store", "jdbc:postgresql://127.0.0.1:1/team?user=u&password=hunter2"},
        new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--store-password-file").doesNotContain("hunter2").doesNotContain("\tat ");
  }
}
