package dev.slipway.router;

import dev.slipway.router.RouteConfig.ServiceConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One service's routing for one config generation, immutable: which backends are active per
 * version, the traffic split, stickiness. Swapped as a whole when a new config is applied, so a
 * request sees either the old or the new routing, never a mix.
 */
final class ServiceRoute {
    final String name;
    final ServiceConfig config;
    final List<Backend> backends;
    final Metrics.ServiceCounters counters;
    final Metrics.Series unrouted;
    /** Lower case, as the parser compares it. */
    final String stickyHeader;
    final String stickyCookie;
    /** Whether clients may pin a version; when not, X-Slipway-Version and the pin cookie are ignored. */
    final boolean pinning;
    /** Whether responses carry X-Slipway-Version. */
    final boolean versionHeader;
    private final Map<String, Backend[]> activeByVersion;
    /** Over the versions that have active backends. */
    private final TrafficSplit split;

    ServiceRoute(ServiceConfig config, List<Backend> backends, Metrics metrics) {
        this.name = config.name();
        this.config = config;
        this.backends = List.copyOf(backends);
        this.counters = metrics.service(name);
        this.unrouted = metrics.series(name, "", "");
        this.stickyHeader = config.sticky() != null && config.sticky().header() != null
                ? config.sticky().header().toLowerCase(java.util.Locale.ROOT) : null;
        this.stickyCookie = config.sticky() != null ? config.sticky().cookie() : null;
        this.pinning = config.pinning();
        this.versionHeader = config.versionHeader();
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
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (config.weights() == null) {
            if (order.size() == 1) {
                weights.put(order.getFirst(), 100);
            }
        } else {
            config.weights().forEach((v, w) -> {
                if (activeByVersion.containsKey(v)) {
                    weights.put(v, w);
                }
            });
        }
        this.split = new TrafficSplit(weights);
    }

    boolean hasVersion(String version) {
        for (Backend b : backends) {
            if (b.version.equals(version)) {
                return true;
            }
        }
        return false;
    }

    /** The version for an unpinned request (see {@link TrafficSplit}); null when no version has traffic. */
    String chooseVersion(String stickyKey) {
        return split.choose(stickyKey);
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
            int load = b.inflight();
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
        int n = split.size();
        int total = 0;
        int[] cum = new int[n];
        for (int i = 0; i < n; i++) {
            if (pick(split.version(i), tried, triedCount) != null) {
                total += split.weight(i);
            }
            cum[i] = total;
        }
        if (total == 0) {
            return null;
        }
        int point = ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < n; i++) {
            if (point < cum[i]) {
                return pick(split.version(i), tried, triedCount);
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
}
