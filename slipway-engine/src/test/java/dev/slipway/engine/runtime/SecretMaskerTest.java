package dev.slipway.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

  @Test
  void mask_hidesTheSecretInClear_percentEncoded_jsonEscaped_andBase64() {
    String secret = "p/a+s=s\"w\\rd";
    SecretMasker masker = new SecretMasker();
    masker.register(secret);

    assertThat(masker.mask("pw=" + secret + ".")).isEqualTo("pw=****.");
    assertThat(masker.mask("postgres://u:" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "@h/db"))
        .isEqualTo("postgres://u:****@h/db");
    assertThat(masker.mask("{\"API_TOKEN\":\"p/a+s=s\\\"w\\\\rd\"}")).isEqualTo("{\"API_TOKEN\":\"****\"}");
    assertThat(masker.mask("x " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("x ****");
    assertThat(masker.mask("x " + Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("x ****");
  }

  @Test
  void mask_leavesShortValuesAndOrdinaryTextAlone() {
    SecretMasker masker = new SecretMasker();
    masker.register("abc");
    masker.register(null);

    assertThat(masker.isEmpty()).isTrue();
    assertThat(masker.mask("abc def")).isEqualTo("abc def");
  }
}
