package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.engine.runtime.SecretMasker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

  @TempDir
  Path dir;

  @Test
  void getOrCreate_isStableAcrossInstances_privateOnDisk_andMasked() throws Exception {
    Path file = dir.resolve("secrets.json");
    SecretMasker masker = new SecretMasker();
    String pw = new Secrets(file, masker).getOrCreate("resources.db.password");

    assertThat(pw).hasSizeGreaterThanOrEqualTo(24).matches("[A-Za-z0-9_-]+");
    assertThat(new Secrets(file, new SecretMasker()).getOrCreate("resources.db.password")).isEqualTo(pw);
    assertThat(new Secrets(file, masker).getOrCreate("resources.cache.password")).isNotEqualTo(pw);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(masker.mask("pw=" + pw)).isEqualTo("pw=****");
  }

  @Test
  void getOrCreate_onAnEmptyOrTruncatedFile_failsNamingIt_andGeneratesNothing() throws Exception {
    Path file = dir.resolve("secrets.json");
    String pw = new Secrets(file, new SecretMasker()).getOrCreate("resources.db.password");
    String whole = Files.readString(file);

    for (String damaged : new String[] {"", whole.substring(0, whole.length() / 2), "\0\0\0\0"}) {
      Files.writeString(file, damaged);
      assertThatThrownBy(() -> new Secrets(file, new SecretMasker()).getOrCreate("resources.db.password"))
          .as("damaged: [%s]", damaged)
          .isInstanceOf(JsonFiles.DamagedFileException.class)
          .hasMessageStartingWith(file.toString());
      assertThat(Files.readString(file)).as("left as it was, nothing generated").isEqualTo(damaged);
    }
    Files.writeString(file, whole);
    assertThat(new Secrets(file, new SecretMasker()).getOrCreate("resources.db.password")).isEqualTo(pw);
  }

  @Test
  void writes_leaveNoTemporaryFilesBehind() throws Exception {
    Path file = dir.resolve("secrets.json");
    Secrets secrets = new Secrets(file, new SecretMasker());
    secrets.getOrCreate("a");
    secrets.getOrCreate("b");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secrets.json");
    }
  }
}
