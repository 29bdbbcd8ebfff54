package dev.slipway.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretNamesTest {

  @Test
  void isLiteralSecret_onlyForANonEmptyLiteralUnderASecretLookingName() {
    assertThat(SecretNames.isLiteralSecret("ADMIN_PASSWORD", Template.parse("hunter2"))).isTrue();
    assertThat(SecretNames.isLiteralSecret("api_key", Template.parse("abc"))).isTrue();
    assertThat(SecretNames.isLiteralSecret("ADMIN_PASSWORD", Template.parse(""))).isFalse();
    assertThat(SecretNames.isLiteralSecret("LOG_LEVEL", Template.parse("debug"))).isFalse();
    // A reference is not a literal, even under a secret-looking name: it is resolved, never copied.
    assertThat(SecretNames.isLiteralSecret("TOKEN_SERVICE_URL", Template.parse("${services.auth.url}"))).isFalse();
    assertThat(SecretNames.isLiteralSecret("DATABASE_PASSWORD", Template.parse("${resources.db.password}"))).isFalse();
  }

  @Test
  void urlPassword_isFoundInUserInfoOnly_andMaskedThere() {
    assertThat(SecretNames.urlHasPassword("postgres://app:s3cr%2Ft@db:5432/app")).isTrue();
    assertThat(SecretNames.maskUrlPassword("postgres://app:s3cr%2Ft@db:5432/app")).isEqualTo("postgres://app:****@db:5432/app");
    assertThat(SecretNames.urlHasPassword("redis://:pw@cache:6379")).isTrue();
    assertThat(SecretNames.urlHasPassword("postgres://app@db:5432/app")).isFalse();
    assertThat(SecretNames.urlHasPassword("postgres://app:${secrets.db}@db:5432/app")).isFalse();
    assertThat(SecretNames.urlHasPassword("http://prometheus:9090/api?x=a:b@c")).isFalse();
    assertThat(SecretNames.maskUrlPassword("http://prometheus:9090")).isEqualTo("http://prometheus:9090");
  }
}
