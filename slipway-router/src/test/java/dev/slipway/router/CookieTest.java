package dev.slipway.router;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CookieTest {
    @Test
    void cookie_findsTheNamedValue_amongOthers() {
        assertThat(ProxyHeaders.cookie("a=1; slipway-version=r2; session=abc", "slipway-version")).isEqualTo("r2");
        assertThat(ProxyHeaders.cookie("session=\"quoted\"", "session")).isEqualTo("quoted");
        assertThat(ProxyHeaders.cookie("xsession=1; session=2", "session")).isEqualTo("2");
        assertThat(ProxyHeaders.cookie("flag; session=3", "session")).isEqualTo("3");
        assertThat(ProxyHeaders.cookie("a=1", "session")).isNull();
    }
}
