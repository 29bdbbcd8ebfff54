package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FingerprintTest {

  private static final Path DIR = Path.of("/srv/app");

  @Test
  void of_ignoresTheOrderOfTheEnvironment_butNotAnyValue() {
    Map<String, String> env = Map.of("PORT", "41000", "DB_PASSWORD", "hunter22", "APP_VERSION", "r1");
    String fp = Fingerprint.of(List.of("sh", "-c", "exec app"), env, DIR, 41000, "");

    assertThat(Fingerprint.of(List.of("sh", "-c", "exec app"), new TreeMap<>(env), DIR, 41000, "")).isEqualTo(fp);
    assertThat(Fingerprint.of(List.of("sh", "-c", "exec app"), Map.of("PORT", "41000", "DB_PASSWORD", "other",
        "APP_VERSION", "r1"), DIR, 41000, "")).isNotEqualTo(fp);
    assertThat(Fingerprint.of(List.of("sh", "-c", "exec app"), env, DIR, 41001, "")).isNotEqualTo(fp);
    assertThat(Fingerprint.of(List.of("sh", "-c", "exec app"), env, DIR.resolve("r2"), 41000, "")).isNotEqualTo(fp);
    assertThat(Fingerprint.of(List.of("sh", "-c", "exec app"), env, DIR, 41000, "port 1")).isNotEqualTo(fp);
  }

  @Test
  void of_tellsArgumentBoundariesApart() {
    assertThat(Fingerprint.of(List.of("a b"), Map.of(), DIR, 0, ""))
        .isNotEqualTo(Fingerprint.of(List.of("a", "b"), Map.of(), DIR, 0, ""));
  }
}
