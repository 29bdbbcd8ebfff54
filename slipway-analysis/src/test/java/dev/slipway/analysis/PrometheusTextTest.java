package dev.slipway.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static List<PrometheusText.Series> parse(String text) throws AnalysisException {
    return PrometheusText.parse(text, n -> n.startsWith("slipway_"), "router");
  }

  @Test
  void parse_whenCommentsHelpTypeAndBlankLines_skipsThem() throws AnalysisException {
    List<PrometheusText.Series> s = parse("""
        # HELP slipway_router_requests_total Requests answered.
        # TYPE slipway_router_requests_total counter

           # an indented comment
        slipway_router_requests_total{service="api",code="2xx"} 12
        # EOF
        """);

    assertThat(s).containsExactly(new PrometheusText.Series("slipway_router_requests_total",
        Map.of("service", "api", "code", "2xx"), 12));
  }

  @Test
  void parse_whenLabelValuesHoldEscapesAndSyntax_unescapesThem() throws AnalysisException {
    List<PrometheusText.Series> s = parse(
        "slipway_x{a=\"say \\\"hi\\\"\",b=\"C:\\\\dir\",c=\"two\\nlines\",d=\"{},= #\",e=\"\\q\"} 1\n");

    assertThat(s.get(0).labels()).containsExactly(Map.entry("a", "say \"hi\""), Map.entry("b", "C:\\dir"),
        Map.entry("c", "two\nlines"), Map.entry("d", "{},= #"), Map.entry("e", "\\q"));
  }

  @Test
  void parse_whenSpecialValues_readsNaNAndInfinities() throws AnalysisException {
    List<PrometheusText.Series> s = parse("slipway_a NaN\nslipway_b +Inf\nslipway_c -Inf\nslipway_d 1.5e+06\n"
        + "slipway_e -0.25\nslipway_f Inf\n");

    assertThat(s).extracting(PrometheusText.Series::value).containsExactly(Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 1.5e6, -0.25, Double.POSITIVE_INFINITY);
  }

  @Test
  void parse_whenTimestampTabsTrailingCommaCrlfOrExemplar_acceptsThem() throws AnalysisException {
    List<PrometheusText.Series> s = parse("slipway_a{x=\"1\",} 3 1712345678000\r\n"
        + "slipway_b\t{ y = \"2\" }\t4\n"
        + "slipway_c{le=\"0.1\"} 5 # {trace_id=\"abc\"} 0.05 1712345678.1\n"
        + "slipway_d{} 6\n");

    assertThat(s).extracting(PrometheusText.Series::value).containsExactly(3.0, 4.0, 5.0, 6.0);
    assertThat(s.get(1).labels()).containsExactly(Map.entry("y", "2"));
    assertThat(s.get(3).labels()).isEmpty();
  }

  @Test
  void parse_whenMetricNotWanted_ignoresItEvenIfMalformed() throws AnalysisException {
    List<PrometheusText.Series> s = parse("go_goroutines{broken=\"} oops\nprocess_cpu 1 2 3 4\n"
        + "ünïcode_metric 1\n{only=\"labels\"} 1\nslipway_ok 7\n");

    assertThat(s).extracting(PrometheusText.Series::name).containsExactly("slipway_ok");
  }

  @Test
  void parse_whenWantedLineIsMalformed_namesTheLine() {
    AnalysisException e = catchThrowableOfType(AnalysisException.class,
        () -> parse("# ok\nslipway_a 1\nslipway_b{code=\"2xx\" 5\n"));

    assertThat(e.source()).isEqualTo("router");
    assertThat(e.what()).isEqualTo("malformed metrics line 3 (expected `,` or `}` at column 22): "
        + "slipway_b{code=\"2xx\" 5");
  }

  @Test
  void parse_whenValueIsNoNumber_saysSo() {
    assertThat(catchThrowableOfType(AnalysisException.class, () -> parse("slipway_a 12abc\n")).what())
        .isEqualTo("malformed metrics line 1 (`12abc` is not a number): slipway_a 12abc");
    assertThat(catchThrowableOfType(AnalysisException.class, () -> parse("slipway_a 1d\n")).what())
        .contains("`1d` is not a number");
    assertThat(catchThrowableOfType(AnalysisException.class, () -> parse("slipway_a\n")).what())
        .contains("expected a space before the value");
    assertThat(catchThrowableOfType(AnalysisException.class, () -> parse("slipway_a{x=\"1\"} 1 2 3\n")).what())
        .contains("unexpected text after the timestamp");
    assertThat(catchThrowableOfType(AnalysisException.class, () -> parse("slipway_a{x=\"1} 1\n")).what())
        .contains("unterminated label value");
    assertThat(catchThrowableOfType(AnalysisException.class, () -> parse("slipway_a{x=\"1\",x=\"2\"} 1\n")).what())
        .contains("label `x` given twice");
  }

  @Test
  void parse_whenEmptyText_returnsNothing() throws AnalysisException {
    assertThat(parse("")).isEmpty();
    assertThat(parse("\n\n")).isEmpty();
  }
}
