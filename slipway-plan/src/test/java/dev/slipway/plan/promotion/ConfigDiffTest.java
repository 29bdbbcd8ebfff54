package dev.slipway.plan.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.plan.promotion.ConfigDiff.Change;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {
  private static final String PLANTED = "s3cr3t-PLANTED-marker";

  @Test
  void of_listsAddedChangedAndRemovedKeys_inKeyOrder_leavingUnchangedOnesOut() {
    List<Change> changes = ConfigDiff.of(Map.of("LOG_LEVEL", "info", "REGION", "eu", "OLD", "1"),
        Map.of("LOG_LEVEL", "warn", "REGION", "eu", "NEW", "2"), key -> false);

    assertThat(changes).containsExactly(
        new Change("LOG_LEVEL", "changed", "info", "warn"),
        new Change("NEW", "added", null, "2"),
        new Change("OLD", "removed", "1", null));
    assertThat(changes).extracting(Change::text)
        .containsExactly("LOG_LEVEL: info → warn", "NEW added: 2", "OLD removed (was 1)");
  }

  @Test
  void of_masksSecretValues_soNeitherValueAppearsAnywhere() {
    Set<String> secrets = Set.of("DB_PASSWORD", "API_KEY", "GONE_TOKEN");

    List<Change> changes = ConfigDiff.of(
        Map.of("DB_PASSWORD", PLANTED + "-old", "GONE_TOKEN", PLANTED + "-gone", "SAME_KEY", PLANTED),
        Map.of("DB_PASSWORD", PLANTED + "-new", "API_KEY", PLANTED + "-added", "SAME_KEY", PLANTED),
        secrets::contains);

    assertThat(changes).containsExactly(
        new Change("API_KEY", "added", null, "****"),
        new Change("DB_PASSWORD", "changed", "****", "****"),
        new Change("GONE_TOKEN", "removed", "****", null));
    assertThat(changes.get(1).text()).isEqualTo("DB_PASSWORD: **** → ****");
    assertThat(changes.toString() + changes.stream().map(Change::text).toList()).doesNotContain(PLANTED);
  }

  @Test
  void of_whenASecretIsUnchanged_showsNothing() {
    assertThat(ConfigDiff.of(Map.of("K", PLANTED), Map.of("K", PLANTED), k -> true)).isEmpty();
    assertThat(ConfigDiff.of(null, Map.of(), k -> true)).isEmpty();
  }
}
