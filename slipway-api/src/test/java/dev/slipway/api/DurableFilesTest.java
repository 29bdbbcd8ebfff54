package dev.slipway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
  @TempDir
  Path dir;

  @Test
  void write_replacesTheFileWhole_private_withNoTemporaryLeft() throws Exception {
    Path file = dir.resolve("sub/state.json");
    DurableFiles.write(file, "one".getBytes(StandardCharsets.UTF_8));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    DurableFiles.write(file, "two".getBytes(StandardCharsets.UTF_8));

    assertThat(Files.readString(file)).isEqualTo("two");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
    }
  }
}
