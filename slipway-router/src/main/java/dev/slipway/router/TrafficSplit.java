package dev.slipway.router;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Maps a request onto a version by weight. The versions, in the config's order, cover consecutive
 * slices of [0, 10000): with {"r1": 90, "r2": 10}, r1 owns [0, 9000) and r2 [9000, 10000). A sticky
 * key hashes to a fixed point, so a user keeps its version while the weights stay, and when they
 * change only the points in the slice that moved change version.
 */
final class TrafficSplit {
    static final int SCALE = 10_000;

    private final String[] versions;
    private final int[] cumulative;

    /**
     * Weights in percent, of the versions that can take traffic (they need not add up to 100: the
     * split is proportional); versions with weight 0 get no unpinned traffic.
     */
    TrafficSplit(Map<String, Integer> weights) {
        this.versions = weights.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                .toArray(String[]::new);
        this.cumulative = new int[versions.length];
        int sum = 0;
        for (int i = 0; i < versions.length; i++) {
            sum += weights.get(versions[i]) * (SCALE / 100);
            cumulative[i] = sum;
        }
    }

    int size() {
        return versions.length;
    }

    String version(int i) {
        return versions[i];
    }

    int weight(int i) {
        return cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
    }

    /** By the sticky key's point when there is a key, else at random; null when nothing has weight. */
    String choose(String stickyKey) {
        if (versions.length == 1) {
            return versions[0];
        }
        int total = versions.length == 0 ? 0 : cumulative[versions.length - 1];
        if (total == 0) {
            return null;
        }
        // Scaled, not modulo: when a version drops out, the others' slices stretch but keep their order.
        int point = stickyKey != null ? (int) ((long) bucket(stickyKey) * total / SCALE)
                : ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < versions.length; i++) {
            if (point < cumulative[i]) {
                return versions[i];
            }
        }
        return versions[versions.length - 1];
    }

    /**
     * Stable across processes and releases: FNV-1a over the UTF-8 bytes, then a 64-bit finalizer so
     * similar keys ("user-1", "user-2") spread evenly; mapped to [0, 10000).
     */
    static int bucket(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, SCALE);
    }
}
