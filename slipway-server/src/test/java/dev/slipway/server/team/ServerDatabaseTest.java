package dev.slipway.server.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerDatabaseTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/team?user=slipway";

  @TempDir
  Path dir;

  @Test
  void settings_withoutStore_areTheEmbeddedPostgres() throws Exception {
    assertThat(ServerDatabase.settings(null, null, Map.of()).embedded()).isTrue();
  }

  @Test
  void settings_withAPasswordInTheUrl_areRefusedWithTheFix_withoutEchoingIt() {
    for (String url : new String[] {"jdbc:postgresql://127.0.0.1/team?user=u&password=hunter22",
        "jdbc:postgresql://u:hunter22@127.0.0.1/team"}) {
      assertThatThrownBy(() -> ServerDatabase.settings(url, null, Map.of()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("holds a password, which anyone on this machine can read on the command line")
          .hasMessageContaining("--store-password-file FILE, or in the environment variable SLIPWAY_STORE_PASSWORD")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter22"));
    }
  }

  @Test
  void settings_takeThePasswordFromAPrivateFile_beforeTheEnvironment() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "s3cret-pass\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    ServerDatabase.Settings settings = ServerDatabase.settings(URL, file, Map.of("SLIPWAY_STORE_PASSWORD", "from-env"));

    assertThat(settings.password()).isEqualTo("s3cret-pass");
    assertThat(settings.toString()).doesNotContain("s3cret");
    assertThat(ServerDatabase.settings(URL, null, Map.of("SLIPWAY_STORE_PASSWORD", "from-env")).password())
        .isEqualTo("from-env");
  }

  @Test
  void settings_refuseAPasswordFileOthersCanRead() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "s3cret-pass\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> ServerDatabase.settings(URL, file, Map.of()))
        .isInstanceOf(StoreException.class)
        .hasMessage("the password file " + file + " can be read by others (mode rw-r--r--); make it yours alone: chmod 600 "
            + file);
  }

  @Test
  void settings_refuseAMissingPasswordFile_aPasswordFileWithoutStore_andAnotherDatabase() throws Exception {
    Path missing = dir.resolve("nothere");
    assertThatThrownBy(() -> ServerDatabase.settings(URL, missing, Map.of()))
        .hasMessageStartingWith("there is no password file " + missing);
    assertThatThrownBy(() -> ServerDatabase.settings(null, missing, Map.of()))
        .hasMessageStartingWith("--store-password-file was given without --store");
    assertThatThrownBy(() -> ServerDatabase.settings("jdbc:h2:file:/tmp/x", null, Map.of()))
        .hasMessageStartingWith("--store jdbc:h2:file:/tmp/x is not a PostgreSQL URL");
  }
}
