package dev.slipway.router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole routing configuration the control plane PUTs: every service with its front port, its
 * backends, the traffic split between versions, optional stickiness and the drain timeout.
 * Built only by {@link RouteConfigParser}, so an instance is always valid.
 */
record RouteConfig(long generation, Map<String, ServiceConfig> services) {

    static final RouteConfig EMPTY = new RouteConfig(0, Map.of());

    RouteConfig withGeneration(long g) {
        return new RouteConfig(g, services);
    }

    Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("generation", generation);
        Map<String, Object> svcs = new LinkedHashMap<>();
        services.forEach((name, s) -> svcs.put(name, s.toJson()));
        root.put("services", svcs);
        return root;
    }

    /**
     * One service: a stable front port and the backends behind it. {@code pinning}: whether a client
     * may pick a version (X-Slipway-Version, the pin cookie); {@code versionHeader}: whether responses
     * say which version served them. Both default to true and are written out only when false.
     */
    record ServiceConfig(String name, int listen, List<BackendConfig> backends, Map<String, Integer> weights,
                         Sticky sticky, long drainTimeoutMs, boolean pinning, boolean versionHeader) {
        static final long DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("listen", (long) listen);
            List<Object> bs = new ArrayList<>();
            for (BackendConfig b : backends) {
                bs.add(b.toJson());
            }
            m.put("backends", bs);
            if (weights != null) {
                Map<String, Object> w = new LinkedHashMap<>();
                weights.forEach((k, v) -> w.put(k, (long) v));
                m.put("weights", w);
            }
            if (sticky != null) {
                Map<String, Object> st = new LinkedHashMap<>();
                if (sticky.header() != null) {
                    st.put("header", sticky.header());
                }
                if (sticky.cookie() != null) {
                    st.put("cookie", sticky.cookie());
                }
                m.put("sticky", st);
            }
            m.put("drainTimeoutMs", drainTimeoutMs);
            if (!pinning) {
                m.put("pinning", false);
            }
            if (!versionHeader) {
                m.put("versionHeader", false);
            }
            return m;
        }
    }

    /** One instance of a service, on 127.0.0.1:port. */
    record BackendConfig(String id, String version, int port, BackendState state) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("version", version);
            m.put("port", (long) port);
            m.put("state", state.json());
            return m;
        }
    }

    /** Where the stickiness key comes from: a request header, a cookie, or both (header wins). */
    record Sticky(String header, String cookie) {
    }

    enum BackendState {
        /** Receives new requests. */
        ACTIVE,
        /** Receives no new requests; in-flight ones finish, then its pooled connections are closed. */
        DRAINING;

        String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
