package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputDigestTest {

  @TempDir
  Path base;

  @Test
  void of_sameContent_sameDigest_andAnyChangeChangesIt() throws Exception {
    Files.createDirectories(base.resolve("src/a"));
    Files.writeString(base.resolve("src/a/One.java"), "class One {}");
    Files.writeString(base.resolve("pom.xml"), "<project/>");
    List<String> inputs = List.of("src", "pom.xml");
    String first = InputDigest.of(base, "mvn package", inputs);

    assertThat(InputDigest.of(base, "mvn package", inputs)).isEqualTo(first).hasSize(64);
    assertThat(InputDigest.of(base, "mvn -q package", inputs)).isNotEqualTo(first);

    Files.writeString(base.resolve("src/a/One.java"), "class One { }");
    String edited = InputDigest.of(base, "mvn package", inputs);
    assertThat(edited).isNotEqualTo(first);

    Files.move(base.resolve("src/a/One.java"), base.resolve("src/a/Two.java"));
    assertThat(InputDigest.of(base, "mvn package", inputs)).isNotEqualTo(edited);
  }

  @Test
  void of_missingInput_namesIt() {
    assertThatThrownBy(() -> InputDigest.of(base, "make", List.of("nope")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage("nope");
  }
}
