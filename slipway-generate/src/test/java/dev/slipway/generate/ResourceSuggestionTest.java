package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import dev.slipway.model.ServiceSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResourceSuggestionTest {
  private static final long MIB = 1L << 20;
  private static final ServiceSpec BOOT = service("java -jar build/libs/app.jar");
  private static final ServiceSpec PYTHON = service("python3 app.py");

  @Test
  void measured_memoryIsPeakTimes1_25RoundedUpTo64Mi_cpuIsP95RoundedUpTo50m_andItSaysSo() {
    ResourceSuggestion s = ResourceSuggestion.of(BOOT, new MeasuredUsage(312 * MIB, 120, 1900, Duration.ofMinutes(12), 2));

    assertThat(s.yaml()).isEqualTo("resources: { cpu: 150m, memory: 448Mi }");
    assertThat(s.measured()).isTrue();
    assertThat(s.basis()).isEqualTo("measured locally: peak RSS 312Mi, CPU p95 120m over 12 min across 2 releases; "
        + "memory = peak × 1.25 rounded up to 64Mi, cpu = p95 rounded up to 50m");
  }

  @Test
  void measured_isNeverTighterThanWhatWasSeen() {
    for (long peak = 1; peak < 4096 * MIB; peak = peak * 3 + 7) {
      ResourceSuggestion s = ResourceSuggestion.of(PYTHON, new MeasuredUsage(peak, 0, 0, Duration.ofMinutes(1), 1));
      assertThat(s.memoryBytes()).as("peak %d", peak).isGreaterThanOrEqualTo(peak).isGreaterThanOrEqualTo(64 * MIB);
      assertThat(s.memoryBytes() % (64 * MIB)).isZero();
    }
    assertThat(ResourceSuggestion.of(PYTHON, new MeasuredUsage(10 * MIB, 1, 5, Duration.ofSeconds(30), 1)).yaml())
        .isEqualTo("resources: { cpu: 50m, memory: 64Mi }");
  }

  @Test
  void measuredOnlyDuringStartUp_keepsTheDefaultCpu_andSaysWhy() {
    ResourceSuggestion s = ResourceSuggestion.of(BOOT, new MeasuredUsage(800 * MIB, -1, 2000, Duration.ofSeconds(14), 1));

    assertThat(s.yaml()).isEqualTo("resources: { cpu: 250m, memory: 1Gi }");
    assertThat(s.basis()).startsWith("measured locally: peak RSS 800Mi over 14 s across 1 release")
        .endsWith("CPU not measured past start-up yet, so the default cpu");
  }

  @Test
  void nothingMeasured_defaults_512MiForAJvm_256MiOtherwise_andTellsHowToMeasure() {
    ResourceSuggestion jvm = ResourceSuggestion.of(BOOT, null);
    ResourceSuggestion other = ResourceSuggestion.of(PYTHON, null);

    assertThat(jvm.yaml()).isEqualTo("resources: { cpu: 250m, memory: 512Mi }");
    assertThat(jvm.measured()).isFalse();
    assertThat(jvm.basis()).isEqualTo("Slipway's defaults for a JVM service, nothing measured yet: run it with "
        + "`slipway up`, and under load during `slipway deploy`, to base this on what it uses");
    assertThat(other.yaml()).isEqualTo("resources: { cpu: 250m, memory: 256Mi }");
    assertThat(ResourceSuggestion.of(service("./mvnw spring-boot:run"), null).memoryBytes()).isEqualTo(512 * MIB);
  }

  @Test
  void value_readsTheQuantitiesTheGeneratorWrites() {
    assertThat(ResourceSuggestion.value("500m", true)).isEqualTo(500);
    assertThat(ResourceSuggestion.value("2", true)).isEqualTo(2000);
    assertThat(ResourceSuggestion.value("512Mi", false)).isEqualTo(512 * MIB);
    assertThat(ResourceSuggestion.value("1.5Gi", false)).isEqualTo(1536 * MIB);
    assertThat(ResourceSuggestion.value("500M", false)).isEqualTo(500_000_000L);
    assertThat(ResourceSuggestion.value("1048576", false)).isEqualTo(MIB);
    assertThat(ResourceSuggestion.value("lots", false)).isEqualTo(-1);
  }

  private static ServiceSpec service(String run) {
    AppSpec app = ModelLoader.parse("name: x\nservices:\n  app:\n    run: \"" + run + "\"\n",
        java.nio.file.Path.of("slipway.yaml"), null);
    return app.service("app");
  }
}
