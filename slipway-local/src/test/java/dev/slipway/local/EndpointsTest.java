package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointsTest {

  @Test
  void postgres_passwordWithReservedCharacters_isPercentEncodedInTheUrlOnly() {
    var e = Endpoints.postgres("127.0.0.1", 5433, "app", "a b/c@d:e", "shop", "");

    assertThat(e.get("url")).isEqualTo("postgresql://app:a%20b%2Fc%40d%3Ae@127.0.0.1:5433/shop");
    assertThat(e.get("jdbcUrl")).isEqualTo("jdbc:postgresql://127.0.0.1:5433/shop");
    assertThat(e.get("password")).isEqualTo("a b/c@d:e");
  }

  @Test
  void redis_localServer_hasDefaultUserInTheUrl() {
    assertThat(Endpoints.redis("127.0.0.1", 6390, "default", "pw", false, null))
        .containsEntry("url", "redis://default:pw@127.0.0.1:6390")
        .doesNotContainKey("database");
  }
}
