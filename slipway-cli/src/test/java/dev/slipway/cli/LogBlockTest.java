package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBlockTest {

  @Test
  void aCrashLoopsNextExit_withTheSameCauseButOtherTimestampsAndPids_isNotPrintedAgain() {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text, true);
    LogBlock block = new LogBlock();

    block.print(out, List.of("2026-12-07T03:13:10.353Z ERROR 685 --- run failed", "Caused by: FATAL: password"));
    block.print(out, List.of("2026-12-07T03:13:16.000Z ERROR 722 --- run failed", "Caused by: FATAL: password"));
    block.print(out, List.of("2026-12-07T03:13:21.000Z ERROR 758 --- other failure"));

    assertThat(text.toString().lines().toList()).hasSize(4);
    assertThat(text.toString()).containsOnlyOnce("Caused by: FATAL: password").contains("(the same lines as above)")
        .contains("other failure");
  }
}
