package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShellCommandTest {

  @Test
  void forSh_whenSimpleCommand_execsIt() {
    assertThat(ShellCommand.forSh("java -jar api/target/api.jar")).isEqualTo("exec java -jar api/target/api.jar");
    assertThat(ShellCommand.forSh("  ./server --port $PORT")).isEqualTo("exec ./server --port $PORT");
  }

  @Test
  void forSh_whenShellSyntaxOrAssignmentsOrBuiltins_leavesItAlone() {
    assertThat(ShellCommand.forSh("cd api && java -jar x.jar")).isEqualTo("cd api && java -jar x.jar");
    assertThat(ShellCommand.forSh("java -jar x.jar > out.log")).isEqualTo("java -jar x.jar > out.log");
    assertThat(ShellCommand.forSh("FOO=1 java -jar x.jar")).isEqualTo("FOO=1 java -jar x.jar");
    assertThat(ShellCommand.forSh("echo $(date)")).isEqualTo("echo $(date)");
    assertThat(ShellCommand.forSh("cd api")).isEqualTo("cd api");
    assertThat(ShellCommand.forSh("a; b")).isEqualTo("a; b");
    assertThat(ShellCommand.forSh("exit 3")).isEqualTo("exit 3");
  }
}
