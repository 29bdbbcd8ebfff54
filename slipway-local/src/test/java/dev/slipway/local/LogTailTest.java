package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.engine.runtime.SecretMasker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @TempDir
  Path dir;

  @Test
  void read_largeFile_returnsExactlyTheLastLines() throws Exception {
    Path log = dir.resolve("a.log");
    Files.writeString(log, IntStream.range(0, 20_000).mapToObj(i -> "line " + i)
        .collect(Collectors.joining("\n", "", "\n")));

    assertThat(LogTail.read(log, 3)).containsExactly("line 19997", "line 19998", "line 19999");
  }

  @Test
  void read_fewerLinesThanAsked_returnsAllWithoutATrailingEmptyOne() throws Exception {
    Path log = dir.resolve("b.log");
    Files.writeString(log, "one\ntwo");

    assertThat(LogTail.read(log, 10)).containsExactly("one", "two");
    assertThat(LogTail.read(dir.resolve("missing.log"), 10)).isEmpty();
  }

  @Test
  void lines_masksRegisteredSecrets() throws Exception {
    SecretMasker masker = new SecretMasker();
    masker.register("hunter22");
    Path log = dir.resolve("c.log");
    Files.writeString(log, "connecting with hunter22\n--- slipway: api-1 exited with code 1\n");

    assertThat(LogTail.lines(log, 5, masker)).first().isEqualTo("connecting with ****");
  }
}
