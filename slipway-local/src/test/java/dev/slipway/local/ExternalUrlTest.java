package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.model.BackingServiceType;
import org.junit.jupiter.api.Test;

class ExternalUrlTest {

  @Test
  void parse_postgresUrl_yieldsAllEndpointAttributes() {
    ExternalUrl u = ExternalUrl.parse(BackingServiceType.POSTGRES,
        "postgres://shop:s%40cret@db.example.com:6543/orders?sslmode=require");

    assertThat(u.endpoint())
        .containsEntry("host", "db.example.com")
        .containsEntry("port", "6543")
        .containsEntry("username", "shop")
        .containsEntry("password", "s@cret")
        .containsEntry("database", "orders")
        .containsEntry("jdbcUrl", "jdbc:postgresql://db.example.com:6543/orders?sslmode=require")
        .containsEntry("url", "postgresql://shop:s%40cret@db.example.com:6543/orders?sslmode=require");
  }

  @Test
  void parse_jdbcUrlWithCredentialsAsParameters_movesThemOutOfTheJdbcUrl() {
    ExternalUrl u = ExternalUrl.parse(BackingServiceType.POSTGRES,
        "jdbc:postgresql://localhost/app?user=app&password=pw+1&ssl=false");

    assertThat(u.port()).isEqualTo(5432);
    assertThat(u.username()).isEqualTo("app");
    assertThat(u.password()).isEqualTo("pw+1");
    assertThat(u.endpoint().get("jdbcUrl")).isEqualTo("jdbc:postgresql://localhost:5432/app?ssl=false");
  }

  @Test
  void parse_redisUrlWithPasswordOnly_usesTheDefaultUser() {
    ExternalUrl u = ExternalUrl.parse(BackingServiceType.REDIS, "rediss://:pw@cache:6380/2");

    assertThat(u.tls()).isTrue();
    assertThat(u.endpoint())
        .containsEntry("username", "default")
        .containsEntry("password", "pw")
        .containsEntry("port", "6380")
        .containsEntry("url", "rediss://default:pw@cache:6380/2");
  }

  @Test
  void parse_wrongScheme_saysSoWithoutRepeatingTheUrl() {
    assertThatThrownBy(() -> ExternalUrl.parse(BackingServiceType.POSTGRES, "redis://u:topsecret@h:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis")
        .hasMessageNotContaining("topsecret");
  }

  @Test
  void toString_neverShowsThePassword() {
    assertThat(ExternalUrl.parse(BackingServiceType.REDIS, "redis://:topsecret@h:1").toString())
        .doesNotContain("topsecret");
  }
}
