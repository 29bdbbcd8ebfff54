package dev.slipway.router;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {

    @Test
    void render_countsByCodeClass_andBucketsAreCumulative() {
        Metrics m = new Metrics();
        Metrics.Series s = m.series("api", "r2", "api-r2-1");
        s.record(Metrics.Series.codeIndex(200), 500_000);        // 0.5 ms
        s.record(Metrics.Series.codeIndex(204), 3_000_000);      // 3 ms
        s.record(Metrics.Series.codeIndex(503), 30_000_000);     // 30 ms
        s.record(Metrics.ERROR, 20_000_000_000L);                // 20 s
        m.service("api").retries.add(2);
        m.generation(7);
        String text = m.render();
        String l = "{service=\"api\",version=\"r2\",backend=\"api-r2-1\"";

        Map<String, Double> requests = RouterFixture.parseMetric(text, "slipway_router_requests_total");
        assertThat(requests).containsEntry(l + ",code=\"2xx\"}", 2.0).containsEntry(l + ",code=\"5xx\"}", 1.0)
                .containsEntry(l + ",code=\"error\"}", 1.0).containsEntry(l + ",code=\"4xx\"}", 0.0);
        Map<String, Double> buckets = RouterFixture.parseMetric(text, "slipway_router_request_duration_seconds_bucket");
        assertThat(buckets).containsEntry(l + ",le=\"0.001\"}", 1.0).containsEntry(l + ",le=\"0.005\"}", 2.0)
                .containsEntry(l + ",le=\"0.05\"}", 3.0).containsEntry(l + ",le=\"10\"}", 3.0)
                .containsEntry(l + ",le=\"+Inf\"}", 4.0);
        assertThat(RouterFixture.parseMetric(text, "slipway_router_request_duration_seconds_count"))
                .containsEntry(l + "}", 4.0);
        assertThat(RouterFixture.parseMetric(text, "slipway_router_request_duration_seconds_sum").get(l + "}"))
                .isEqualTo(20.0335);
        assertThat(RouterFixture.parseMetric(text, "slipway_router_retries_total")).containsEntry("{service=\"api\"}", 2.0);
        assertThat(RouterFixture.parseMetric(text, "slipway_router_config_generation")).containsEntry("", 7.0);
    }

    @Test
    void render_isValidExpositionFormat_oneTypeLinePerFamily() {
        Metrics m = new Metrics();
        m.series("a", "r1", "a-1");
        m.series("b", "r1", "b-1");
        String text = m.render();
        for (String line : text.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) slipway_router_\\w+ .+|slipway_router_\\w+(\\{[^}]*})? [0-9.+eE-]+");
        }
        assertThat(text.split("# TYPE slipway_router_requests_total", -1)).hasSize(2);
    }

    @Test
    void labelValues_areEscaped() {
        assertThat(Metrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }

    @Test
    void theSameLabels_giveTheSameSeries() {
        Metrics m = new Metrics();
        assertThat(m.series("a", "r1", "x")).isSameAs(m.series("a", "r1", "x"));
    }
}
