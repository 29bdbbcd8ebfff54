package dev.slipway.router;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterLimitsTest {
    @Test
    void durationsAndSizes_takeTheUnitsTheFlagsDocument() {
        assertThat(RouterLimits.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(RouterLimits.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(RouterLimits.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(RouterLimits.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(RouterLimits.parseBytes("8m")).isEqualTo(8L << 20);
        assertThat(RouterLimits.parseBytes("64k")).isEqualTo(64L << 10);
        assertThat(RouterLimits.parseBytes("1000")).isEqualTo(1000);
        for (String bad : new String[]{"10", "0s", "-1s", "s", "1d", "1.5s"}) {
            assertThatThrownBy(() -> RouterLimits.parseDuration(bad)).as(bad)
                    .hasMessageContaining("a positive number with a unit ms, s, m or h");
        }
        for (String bad : new String[]{"0", "-1k", "1g", "k"}) {
            assertThatThrownBy(() -> RouterLimits.parseBytes(bad)).as(bad).hasMessageContaining("a positive number of bytes");
        }
    }

    @Test
    void aBadLimitFlag_isBadUsage_withWhatToWrite() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RouterMain.run(new String[]{"--state-dir", "/nonexistent", "--request-head-timeout", "10"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--request-head-timeout: a duration is a positive number with a unit ms, s, m or h (e.g. 10s), not \"10\"")
                .contains("usage: RouterMain");
    }

    @Test
    void theDefaults_areTheDocumentedOnes() {
        RouterLimits d = RouterLimits.DEFAULTS;
        assertThat(d.maxConnections()).isEqualTo(10_000);
        assertThat(d.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.bodyIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.tunnelIdleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(d.maxConnectionsPerBackend()).isEqualTo(4096);
        assertThat(d.headBufferBytes()).isEqualTo(8L << 20);
        assertThat(d.writeBufferBytes()).isEqualTo(8L << 20);
        assertThat(RouterOptions.defaults(java.nio.file.Path.of(".")).clientIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
    }
}
