package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.plan.ReleaseStep;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosTest {
  private final List<String> halts = new ArrayList<>();

  private Chaos chaos(String... points) {
    return new Chaos(List.of(points), where -> {
      halts.add(where);
      throw new Halted(where);
    });
  }

  @Test
  void writeK_countsTheWritesOfTheRollout_fromTheOneThatStartsIt() {
    Chaos c = chaos("write:3");
    c.wrote("create release api-r2", false);
    c.wrote("start deployment #1", true);
    c.wrote("deployment #1 RUNNING/STARTING at step 1", false);

    assertThatThrownBy(() -> c.wrote("deployment #1 RUNNING/STARTING at step 2", false)).isInstanceOf(Halted.class);
    assertThat(halts).containsExactly("write:3 (deployment #1 RUNNING/STARTING at step 2)");
    assertThat(c.writes()).isEqualTo(3);
  }

  @Test
  void onceHalted_everyFurtherCallIsRefused() {
    Chaos c = chaos("point:draining");
    c.checkAlive();

    assertThatThrownBy(() -> c.at("draining")).isInstanceOf(Halted.class);
    assertThatThrownBy(c::checkAlive).isInstanceOf(Halted.class);
    assertThat(halts).containsExactly("point:draining", "point:draining");
  }

  @Test
  void stepPoints_matchAStrategyOrAny() {
    chaos("step:canary:Pause").step("rolling", new ReleaseStep.Pause(null));
    assertThat(halts).isEmpty();
    assertThatThrownBy(() -> chaos("step:*:Pause").step("rolling", new ReleaseStep.Pause(null))).isInstanceOf(Halted.class);
    assertThatThrownBy(() -> chaos("step:canary:Analyze").step("canary", new ReleaseStep.Analyze(null)))
        .isInstanceOf(Halted.class);
    assertThat(halts).containsExactly("step:rolling:Pause", "step:canary:Analyze");
  }

  @Test
  void none_neverHalts_andLeavesTheStoreUnwrapped() {
    Chaos.NONE.wrote("start deployment #1", true);
    Chaos.NONE.at("draining");
    Chaos.NONE.checkAlive();

    assertThat(Chaos.NONE.active()).isFalse();
    assertThat(ChaosStore.of(null, Chaos.NONE)).isNull();
    assertThat(chaos("write:1").active()).isTrue();
  }
}
