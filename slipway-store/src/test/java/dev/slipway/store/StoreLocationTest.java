package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLocationTest {
  @TempDir
  Path stateDir;

  @Test
  void h2_isAFileUnderTheStateDirectoryThatWritesThroughOnCommit() throws Exception {
    StoreLocation location = StoreLocation.of(null, stateDir);

    assertThat(location.kind()).isEqualTo(StoreLocation.Kind.H2);
    assertThat(location.display()).isEqualTo(stateDir.resolve("state/slipway.mv.db").toString());
    assertThat(location.url()).startsWith("jdbc:h2:file:" + stateDir.resolve("state/slipway") + ";")
        .contains(";WRITE_DELAY=0");
    assertThat(StoreLocation.of("  ", stateDir).kind()).isEqualTo(StoreLocation.Kind.H2);
  }

  @Test
  void postgres_takesTheCredentialsOutOfTheQuery() {
    StoreLocation location = StoreLocation.postgres(
        "jdbc:postgresql://db.internal:5432/slipway?user=deploy&password=s%26cret%3Dx&sslmode=require");

    assertThat(location.url()).isEqualTo("jdbc:postgresql://db.internal:5432/slipway?sslmode=require");
    assertThat(location.user()).isEqualTo("deploy");
    assertThat(location.password()).isEqualTo("s&cret=x");
    assertThat(location.display()).isEqualTo(
        "jdbc:postgresql://db.internal:5432/slipway?user=deploy&password=****&sslmode=require");
  }

  @Test
  void postgres_takesTheCredentialsOutOfTheAuthority() {
    StoreLocation location = StoreLocation.postgres("jdbc:postgresql://deploy:p%40ss@db.internal/slipway");

    assertThat(location.url()).isEqualTo("jdbc:postgresql://db.internal/slipway");
    assertThat(location.user()).isEqualTo("deploy");
    assertThat(location.password()).isEqualTo("p@ss");
    assertThat(location.display()).isEqualTo("jdbc:postgresql://deploy:****@db.internal/slipway");
  }

  @Test
  void postgres_setsTimeoutsUnlessTheUrlDoes() {
    StoreLocation location = StoreLocation.postgres("jdbc:postgresql://h/db?connectTimeout=30");

    assertThat(location.properties()).containsEntry("connectTimeout", "5").containsEntry("socketTimeout", "60");
    assertThat(location.url()).endsWith("?connectTimeout=30"); // pgjdbc lets the URL win
    assertThat(location.user()).isNull();
  }

  @Test
  void mask_hidesThePasswordWhereverItAppears() {
    StoreLocation location = StoreLocation.postgres("jdbc:postgresql://h/db?user=u&password=hunter2hunter2");

    assertThat(location.mask("auth failed for hunter2hunter2 at jdbc:postgresql://h/db?user=u&password=hunter2hunter2"))
        .isEqualTo("auth failed for **** at jdbc:postgresql://h/db?user=u&password=****");
    assertThat(StoreLocation.maskUrl("jdbc:other://a:b@c/d;password=x;user=y"))
        .isEqualTo("jdbc:other://a:****@c/d;password=****;user=y");
  }

  @Test
  void of_anUnsupportedUrl_failsWithoutShowingItsPassword() {
    assertThatThrownBy(() -> StoreLocation.of("jdbc:mysql://root:topsecret@db/slipway", stateDir))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("unsupported state store URL jdbc:mysql://root:****@db/slipway; use a"
            + " jdbc:postgresql://host:port/database URL, or leave --store out for the local H2 store");
  }
}
