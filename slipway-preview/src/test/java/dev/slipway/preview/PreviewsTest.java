package dev.slipway.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.team.PreviewRequest;
import dev.slipway.api.team.PreviewView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's rules without starting a stack: names, TTLs, the quota, what {@code list} makes of a
 * record whose process is gone, and the sweep (its "control plane" is {@code /bin/true}, so the clean-up
 * of a dead preview runs and succeeds at once).
 */
class PreviewsTest {
  @TempDir
  Path dir;

  private Previews previews(int quota) throws PreviewException {
    return Previews.open(dir.resolve("registry"), new PreviewSettings(quota, Duration.ofHours(48), "/bin/true", "",
        PreviewSettings.CONTROL_PLANE_MAIN, List.of(), null));
  }

  private Path model() throws Exception {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: notes\nservices:\n  web: { run: \"true\", port: 8080 }\n");
    return model;
  }

  /** A record as a command that started preview {@code name} and then went away would leave it. */
  private void record(Previews p, String name, String state, Instant expires) throws Exception {
    Path home = p.registryDir().resolve(name);
    Files.createDirectories(home.resolve("state/data/db"));
    Files.writeString(home.resolve("state/data/db/PG_VERSION"), "15");
    PreviewRecord r = new PreviewRecord(name, "local", state, "working tree", model().toString(), "dev", null,
        home.resolve("state").toString(), Map.of("web", "http://127.0.0.1:1"), "alice", Instant.now().toString(), "2s",
        expires.toString(), null, 999_999_999L, 1, 0, 0);
    Registry.JSON.writeValue(p.registryDir().resolve(name + ".json").toFile(), r);
  }

  @Test
  void names_areDnsLabels() {
    assertThatThrownBy(() -> Previews.checkName("PR_1")).isInstanceOf(PreviewException.class)
        .hasMessageContaining("not a DNS label")
        .satisfies(e -> assertThat(((PreviewException) e).exitCode()).isEqualTo(PreviewException.BAD_INPUT));
    assertThatThrownBy(() -> Previews.checkName("a".repeat(64))).isInstanceOf(PreviewException.class);
    assertThatThrownBy(() -> Previews.checkName("../etc")).isInstanceOf(PreviewException.class);
  }

  @Test
  void ttl_takesSlipwayDurationsAndIso_andRefusesZero() throws Exception {
    assertThat(Previews.ttl("48h")).isEqualTo(Duration.ofHours(48));
    assertThat(Previews.ttl("PT90M")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Previews.compact(Duration.ofHours(48))).isEqualTo("48h");
    assertThat(Previews.compact(Duration.ofSeconds(5430))).isEqualTo("1h30m30s");
    assertThat(Previews.compact(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThatThrownBy(() -> Previews.ttl("0s")).hasMessageContaining("not a positive duration");
    assertThatThrownBy(() -> Previews.ttl("soon")).isInstanceOf(PreviewException.class)
        .satisfies(e -> assertThat(((PreviewException) e).exitCode()).isEqualTo(PreviewException.BAD_INPUT));
  }

  @Test
  void up_overTheQuota_isRefusedNamingThePreviewsAndTheFix_andWritesNothing() throws Exception {
    Previews p = previews(2);
    Instant later = Instant.now().plusSeconds(3600);
    record(p, "pr-1", "up", later);
    record(p, "pr-2", "up", later);

    assertThatThrownBy(() -> p.up(new PreviewRequest("pr-3", null, null, model().toString(), null), "bob", l -> { }))
        .isInstanceOf(PreviewException.class)
        .hasMessage("2 previews exist (pr-1, pr-2), the quota is 2")
        .satisfies(e -> {
          assertThat(((PreviewException) e).fix()).startsWith("remove one with `slipway preview down NAME`, or raise "
              + "SLIPWAY_PREVIEW_QUOTA");
          assertThat(((PreviewException) e).exitCode()).isEqualTo(PreviewException.REFUSED);
        });
    assertThat(p.registryDir().resolve("pr-3.json")).doesNotExist();
    assertThat(p.registryDir().resolve("pr-3")).doesNotExist();
  }

  @Test
  void list_showsAPreviewWhoseControlPlaneIsGone_asFailed() throws Exception {
    Previews p = previews(5);
    record(p, "pr-1", "up", Instant.now().plusSeconds(3600));

    PreviewView v = p.list().get(0);
    assertThat(v.state()).isEqualTo("failed");
    assertThat(v.message()).contains("is gone").contains("slipway preview down pr-1");
  }

  @Test
  void sweep_removesOnlyExpiredPreviews_recordAndFiles_andSaysSo() throws Exception {
    Previews p = previews(5);
    Instant now = Instant.now();
    record(p, "pr-1", "up", now.minusSeconds(1));
    record(p, "pr-2", "up", now.plusSeconds(3600));
    List<String> said = new ArrayList<>();

    List<PreviewView> removed = p.sweep(now, said::add);

    assertThat(removed).extracting(PreviewView::name).containsExactly("pr-1");
    assertThat(removed.get(0).state()).isEqualTo("expired");
    assertThat(said).containsExactly("removed expired preview pr-1 (TTL 2s passed at " + now.minusSeconds(1) + ")");
    assertThat(p.registryDir().resolve("pr-1.json")).doesNotExist();
    assertThat(p.registryDir().resolve("pr-1")).doesNotExist();
    assertThat(p.registryDir().resolve("pr-2.json")).exists();
    assertThat(p.registryDir().resolve("pr-2/state/data/db")).exists();
    assertThat(p.sweep(now, said::add)).isEmpty();
    assertThat(said).hasSize(1);
  }

  @Test
  void down_ofAnUnknownPreview_isNotFound() throws Exception {
    assertThatThrownBy(() -> previews(5).down("pr-9", l -> { })).isInstanceOf(PreviewException.class)
        .hasMessage("there is no preview pr-9")
        .satisfies(e -> assertThat(((PreviewException) e).exitCode()).isEqualTo(PreviewException.NOT_FOUND));
  }
}
