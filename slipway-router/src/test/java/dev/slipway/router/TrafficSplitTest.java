package dev.slipway.router;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrafficSplitTest {

    private static TrafficSplit split(Object... versionsAndWeights) {
        Map<String, Integer> w = new LinkedHashMap<>();
        for (int i = 0; i < versionsAndWeights.length; i += 2) {
            w.put((String) versionsAndWeights[i], (Integer) versionsAndWeights[i + 1]);
        }
        return new TrafficSplit(w);
    }

    @Test
    void randomChoice_followsTheWeights() {
        TrafficSplit s = split("r1", 90, "r2", 10);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            counts.merge(s.choose(null), 1, Integer::sum);
        }
        assertThat(counts.get("r2") / 100_000.0).isCloseTo(0.10, within(0.01));
    }

    @Test
    void weightZero_getsNoUnpinnedTraffic() {
        TrafficSplit s = split("r1", 100, "r2", 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(s.choose(i % 2 == 0 ? null : "user-" + i)).isEqualTo("r1");
        }
    }

    @Test
    void weightsThatDoNotAddUpTo100_splitInProportion_stickyToo() {
        TrafficSplit s = split("r1", 30, "r3", 30);
        int r1 = 0;
        for (int i = 0; i < 20_000; i++) {
            if (s.choose("user-" + i).equals("r1")) {
                r1++;
            }
        }
        assertThat(r1 / 20_000.0).isCloseTo(0.5, within(0.02));
    }

    @Test
    void noWeight_choosesNothing() {
        assertThat(split("r1", 0).choose(null)).isNull();
        assertThat(split().choose("user")).isNull();
    }

    @Test
    void bucket_isStable_andSpreadsSimilarKeysEvenly() {
        assertThat(TrafficSplit.bucket("user-42")).isEqualTo(TrafficSplit.bucket("user-42"));
        int[] tenths = new int[10];
        for (int i = 0; i < 100_000; i++) {
            tenths[TrafficSplit.bucket("user-" + i) / 1000]++;
        }
        for (int t : tenths) {
            assertThat(t).isBetween(9_500, 10_500);
        }
    }

    @Test
    void stickyUsers_keepTheirVersion_andOnlyTheMovedSliceMoves_whenWeightsChange() {
        TrafficSplit before = split("r1", 90, "r2", 10);
        TrafficSplit after = split("r1", 80, "r2", 20);
        int moved = 0;
        for (int i = 0; i < 20_000; i++) {
            String user = "user-" + i;
            String v1 = before.choose(user);
            assertThat(before.choose(user)).isEqualTo(v1);
            String v2 = after.choose(user);
            if (v1.equals("r2")) {
                assertThat(v2).as("a canary user stays on the canary as it grows").isEqualTo("r2");
            }
            if (!v1.equals(v2)) {
                moved++;
            }
        }
        assertThat(moved / 20_000.0).as("about the 10% slice that moved").isCloseTo(0.10, within(0.015));
    }
}
