package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisLinesTest {

  @Test
  void anAnalysisStep_showsItsFirstLine_eachChangeOfOutcome_andOneLineEvery5s_notTheBackgroundTwin() {
    AnalysisLines lines = new AnalysisLines();
    List<String> shown = new ArrayList<>();
    for (int s = 0; s < 16; s++) {
      String outcome = s < 15 ? "inconclusive" : "pass";
      for (String window : List.of("analysis step", "background analysis")) {
        String line = window + " over " + s + ".1 s: " + outcome + " — canary: " + (s * 40) + " of 200 requests";
        if (lines.show(line, s + (window.startsWith("b") ? 0.1 : 0))) {
          shown.add(line);
        }
      }
    }

    assertThat(shown).hasSize(4).allMatch(l -> l.startsWith("analysis step"));
    assertThat(shown.get(0)).startsWith("analysis step over 0.1 s: inconclusive");
    assertThat(shown.get(3)).startsWith("analysis step over 15.1 s: pass");
  }

  @Test
  void backgroundAnalysis_isShownDuringPauses_andAlwaysWhenItFails() {
    AnalysisLines lines = new AnalysisLines();

    assertThat(lines.show("background analysis over 1 s: inconclusive — canary: 10 of 200", 1)).isTrue();
    assertThat(lines.show("background analysis over 2 s: inconclusive — canary: 20 of 200", 2)).isFalse();
    assertThat(lines.show("background analysis over 3 s: fail — canary error rate 9%", 3)).isTrue();
    assertThat(lines.show("something else entirely", 3.5)).isTrue();
  }
}
