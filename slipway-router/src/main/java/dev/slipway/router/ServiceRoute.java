package dev.slipway.router;

import dev.slipway.router.RouteConfig.ServiceConfig;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One service's routing for one config generation, immutable: which backends are active per
 * version, the traffic split, stickiness. Swapped as a whole when a new config is applied, so a
 * request sees either the old or the new routing, never a mix.
 */
final class ServiceRoute {
    /** Weights are percentages; the split works in 1/100 of a percent. */
    static final int SCALE = 10_000;

    final String name;
    final ServiceConfig config;
    final List<Backend> backends;
    final Metrics.ServiceCounters counters;
    final Metrics.Series unrouted;
    final AsciiString stickyHeader;
    final String stickyCookie;
    private final Map<String, Backend[]> activeByVersion;
    /** Versions with active backends, in the order of the config's weights, and their cumulative split. */
    private final String[] versions;
    private final int[] cumulative;

    ServiceRoute(ServiceConfig config, List<Backend> backends, Metrics metrics) {
        this.name = config.name();
        this.config = config;
        this.backends = List.copyOf(backends);
        this.counters = metrics.service(name);
        this.unrouted = metrics.series(name, "", "");
        this.stickyHeader = config.sticky() != null && config.sticky().header() != null
                ? AsciiString.cached(config.sticky().header()) : null;
        this.stickyCookie = config.sticky() != null ? config.sticky().cookie() : null;
        Map<String, List<Backend>> byVersion = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (Backend b : backends) {
            if (b.isActive()) {
                byVersion.computeIfAbsent(b.version, v -> {
                    order.add(v);
                    return new ArrayList<>();
                }).add(b);
            }
        }
        this.activeByVersion = new HashMap<>();
        byVersion.forEach((v, list) -> activeByVersion.put(v, list.toArray(new Backend[0])));
        List<String> weighted = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        if (config.weights() == null) {
            if (order.size() == 1) {
                weighted.add(order.getFirst());
                weights.add(100);
            }
        } else {
            config.weights().forEach((v, w) -> {
                if (activeByVersion.containsKey(v) && w > 0) {
                    weighted.add(v);
                    weights.add(w);
                }
            });
        }
        this.versions = weighted.toArray(new String[0]);
        this.cumulative = new int[versions.length];
        int sum = 0;
        for (int i = 0; i < versions.length; i++) {
            sum += weights.get(i) * (SCALE / 100);
            cumulative[i] = sum;
        }
    }

    boolean hasVersion(String version) {
        for (Backend b : backends) {
            if (b.version.equals(version)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The version for an unpinned request: by the stable hash of the sticky key when there is one,
     * else at random, both mapped onto the weights. Null when no version has traffic.
     */
    String chooseVersion(String stickyKey) {
        int total = versions.length == 0 ? 0 : cumulative[versions.length - 1];
        if (total == 0) {
            return null;
        }
        int point = stickyKey != null ? bucket(stickyKey) % total : ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < versions.length; i++) {
            if (point < cumulative[i]) {
                return versions[i];
            }
        }
        return versions[versions.length - 1];
    }

    /** Least outstanding requests among the version's active backends not yet tried; null when none. */
    Backend pick(String version, Backend[] tried, int triedCount) {
        Backend[] candidates = activeByVersion.get(version);
        if (candidates == null) {
            return null;
        }
        if (candidates.length == 1) {
            Backend b = candidates[0];
            // isActive: a retry may come after a newer config set this backend draining.
            return contains(tried, triedCount, b) || !b.isActive() ? null : b;
        }
        long now = System.nanoTime();
        Backend best = null;
        int bestLoad = Integer.MAX_VALUE;
        boolean bestEjected = true;
        int start = ThreadLocalRandom.current().nextInt(candidates.length);
        for (int k = 0; k < candidates.length; k++) {
            Backend b = candidates[(start + k) % candidates.length];
            if (contains(tried, triedCount, b) || !b.isActive()) {
                continue;
            }
            boolean ejected = b.isEjected(now);
            int load = b.inflight.get();
            if (best == null || (bestEjected && !ejected) || (ejected == bestEjected && load < bestLoad)) {
                best = b;
                bestLoad = load;
                bestEjected = ejected;
            }
        }
        return best;
    }

    /** For an unpinned request whose version has no backend left to try: another version, by weight. */
    Backend pickOtherVersion(Backend[] tried, int triedCount) {
        int total = 0;
        int[] cum = new int[versions.length];
        for (int i = 0; i < versions.length; i++) {
            int w = (cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]));
            if (pick(versions[i], tried, triedCount) != null) {
                total += w;
            }
            cum[i] = total;
        }
        if (total == 0) {
            return null;
        }
        int point = ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < versions.length; i++) {
            if (point < cum[i]) {
                return pick(versions[i], tried, triedCount);
            }
        }
        return null;
    }

    private static boolean contains(Backend[] tried, int n, Backend b) {
        for (int i = 0; i < n; i++) {
            if (tried[i] == b) {
                return true;
            }
        }
        return false;
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
