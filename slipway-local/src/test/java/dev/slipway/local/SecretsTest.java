package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

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
}
