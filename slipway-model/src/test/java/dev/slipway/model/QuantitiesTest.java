package dev.slipway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantitiesTest {

  @ParameterizedTest
  @CsvSource({"500m, 500", "0.5, 500", "2, 2000", "1.5, 1500", "0.0001, 1", "250m, 250"})
  void cpu_whenCoresOrMillicores_returnsMillicores(String text, long millicores) throws ValueException {
    assertThat(Quantities.cpu(text)).isEqualTo(new Quantity(text, millicores));
  }

  @ParameterizedTest
  @CsvSource({
      "512Mi, 536870912",
      "1Gi, 1073741824",
      "1.5Gi, 1610612736",
      "64Ki, 65536",
      "1Ti, 1099511627776",
      "500M, 500000000",
      "1G, 1000000000",
      "2k, 2000",
      "2K, 2000",
      "1T, 1000000000000",
      "1048576, 1048576",
      "0.5Ki, 512"})
  void memory_whenBinaryDecimalOrPlainBytes_returnsBytes(String text, long bytes) throws ValueException {
    assertThat(Quantities.memory(text).value()).isEqualTo(bytes);
    assertThat(Quantities.memory(text).text()).isEqualTo(text);
  }

  @Test
  void memory_whenUnitWrittenLikeAFileSize_suggestsKubernetesUnits() {
    assertThatThrownBy(() -> Quantities.memory("1GB")).isInstanceOf(ValueException.class)
        .hasMessage("expected a memory size, found `1GB`")
        .extracting(e -> ((ValueException) e).hint()).isEqualTo("write `1Gi` (powers of 1024) or `1G` (powers of 1000)");
  }

  @Test
  void memory_whenNotANumber_explainsTheUnits() {
    assertThatThrownBy(() -> Quantities.memory("lots")).extracting(e -> ((ValueException) e).hint()).isEqualTo(
        "write a number of bytes with Ki, Mi, Gi, Ti (powers of 1024) or K, M, G, T (powers of 1000), e.g. `512Mi`");
  }

  @Test
  void memory_whenOverflowingALong_refuses() {
    assertThatThrownBy(() -> Quantities.memory("99999999999Ti")).hasMessage("`99999999999Ti` is too large");
  }

  @Test
  void cpu_whenNotANumber_showsBothForms() {
    assertThatThrownBy(() -> Quantities.cpu("half")).hasMessage("expected a CPU amount, found `half`")
        .extracting(e -> ((ValueException) e).hint()).isEqualTo("write cores (`0.5`, `2`) or millicores (`500m`)");
  }

  @ParameterizedTest
  @CsvSource({"1%, 0.01", "0.5%, 0.005", "100%, 1.0", "0.01, 0.01", "1, 1.0", "0, 0.0", "' 2 % ', 0.02"})
  void rate_whenPercentOrFraction_returnsTheFraction(String text, double fraction) throws ValueException {
    assertThat(Quantities.rate(text)).isEqualTo(fraction);
  }

  @Test
  void rate_whenBareNumberAboveOne_offersBothReadings() {
    assertThatThrownBy(() -> Quantities.rate("5")).hasMessage("rate `5` is ambiguous")
        .extracting(e -> ((ValueException) e).hint()).isEqualTo("write 5% or 0.05");
  }

  @Test
  void rate_whenAboveHundredPercent_refuses() {
    assertThatThrownBy(() -> Quantities.rate("150%")).hasMessage("rate `150%` is above 100%");
  }
}
