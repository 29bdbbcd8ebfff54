package dev.slipway.router;

import dev.slipway.router.RouteConfig.BackendConfig;
import dev.slipway.router.RouteConfig.BackendState;
import dev.slipway.router.RouteConfig.ServiceConfig;
import dev.slipway.router.RouteConfig.Sticky;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a route configuration. Collects every problem (not just the first), each as
 * {@code path: what is wrong[, what to do]}, e.g.
 * {@code services.api.weights: the weights of versions with active backends add up to 90, they must add up to 100}.
 */
final class RouteConfigParser {
    static final String INVALID = "invalid-config";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final List<String> errors = new ArrayList<>();

    private RouteConfigParser() {
    }

    /** Parses a PUT body or routes.json; {@code generation} stays -1 when the body has none. */
    static RouteConfig parse(String json) throws RouterException {
        Object root;
        try {
            root = Json.parse(json);
        } catch (Json.SyntaxException e) {
            throw new RouterException(400, INVALID, "Route configuration is not valid JSON",
                    List.of(e.getMessage()));
        }
        RouteConfigParser p = new RouteConfigParser();
        RouteConfig config = p.config(root);
        if (!p.errors.isEmpty()) {
            throw new RouterException(400, INVALID, "Invalid route configuration", p.errors);
        }
        return config;
    }

    private RouteConfig config(Object root) {
        Map<String, Object> m = object(root, "(root)");
        if (m == null) {
            return null;
        }
        keys(m, "", Set.of("generation", "services"));
        long generation = -1;
        if (m.containsKey("generation")) {
            Long g = integer(m.get("generation"), "generation", 0, Long.MAX_VALUE);
            generation = g == null ? -1 : g;
        }
        if (!m.containsKey("services")) {
            errors.add("services: missing; give an object of services, e.g. {\"services\": {}} for none");
            return null;
        }
        Map<String, Object> svcs = object(m.get("services"), "services");
        if (svcs == null) {
            return null;
        }
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        Map<Integer, String> listenPorts = new HashMap<>();
        for (Map.Entry<String, Object> e : svcs.entrySet()) {
            String path = "services." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                errors.add(path + ": invalid service name; use letters, digits, '.', '_' and '-' (at most 63)");
                continue;
            }
            ServiceConfig s = service(e.getKey(), e.getValue(), path);
            if (s == null) {
                continue;
            }
            String other = listenPorts.putIfAbsent(s.listen(), s.name());
            if (other != null) {
                errors.add(path + ".listen: port " + s.listen() + " is already the listen port of service " + other);
            }
            services.put(s.name(), s);
        }
        for (ServiceConfig s : services.values()) {
            for (int i = 0; i < s.backends().size(); i++) {
                int port = s.backends().get(i).port();
                String svc = listenPorts.get(port);
                if (svc != null) {
                    errors.add("services." + s.name() + ".backends[" + i + "].port: " + port
                            + " is the listen port of service " + svc + "; the router would proxy to itself");
                }
            }
        }
        return new RouteConfig(generation, services);
    }

    private ServiceConfig service(String name, Object value, String path) {
        Map<String, Object> m = object(value, path);
        if (m == null) {
            return null;
        }
        keys(m, path + ".", Set.of("listen", "backends", "weights", "sticky", "drainTimeoutMs", "pinning",
                "versionHeader"));
        int errorsBefore = errors.size();
        Long listen = required(m, "listen", path) ? integer(m.get("listen"), path + ".listen", 1, 65535) : null;
        List<BackendConfig> backends = new ArrayList<>();
        if (required(m, "backends", path)) {
            List<Object> list = array(m.get("backends"), path + ".backends");
            if (list != null) {
                Map<String, Integer> ids = new HashMap<>();
                Map<Integer, String> ports = new HashMap<>();
                for (int i = 0; i < list.size(); i++) {
                    String bpath = path + ".backends[" + i + "]";
                    BackendConfig b = backend(list.get(i), bpath);
                    if (b == null) {
                        continue;
                    }
                    Integer dup = ids.putIfAbsent(b.id(), i);
                    if (dup != null) {
                        errors.add(bpath + ".id: \"" + b.id() + "\" is also the id of backends[" + dup + "]; ids must be unique");
                    }
                    String samePort = ports.putIfAbsent(b.port(), b.id());
                    if (samePort != null) {
                        errors.add(bpath + ".port: " + b.port() + " is already the port of backend " + samePort);
                    }
                    backends.add(b);
                }
            }
        }
        Map<String, Integer> weights = m.containsKey("weights") ? weights(m.get("weights"), path + ".weights") : null;
        Sticky sticky = m.containsKey("sticky") ? sticky(m.get("sticky"), path + ".sticky") : null;
        long drain = ServiceConfig.DEFAULT_DRAIN_TIMEOUT_MS;
        if (m.containsKey("drainTimeoutMs")) {
            Long d = integer(m.get("drainTimeoutMs"), path + ".drainTimeoutMs", 0, 86_400_000);
            drain = d == null ? drain : d;
        }
        boolean pinning = flag(m, "pinning", path);
        boolean versionHeader = flag(m, "versionHeader", path);
        if (errors.size() > errorsBefore) {
            return null;
        }
        checkWeights(backends, weights, path);
        return new ServiceConfig(name, listen.intValue(), List.copyOf(backends),
                weights == null ? null : java.util.Collections.unmodifiableMap(weights), sticky, drain, pinning,
                versionHeader);
    }

    private void checkWeights(List<BackendConfig> backends, Map<String, Integer> weights, String path) {
        Set<String> versions = new LinkedHashSet<>();
        Set<String> activeVersions = new LinkedHashSet<>();
        for (BackendConfig b : backends) {
            versions.add(b.version());
            if (b.state() == BackendState.ACTIVE) {
                activeVersions.add(b.version());
            }
        }
        if (weights == null) {
            if (activeVersions.size() > 1) {
                StringBuilder example = new StringBuilder();
                int i = 0;
                for (String v : activeVersions) {
                    example.append(i == 0 ? "" : ", ").append('"').append(v).append("\": ").append(i == 0 ? 100 : 0);
                    i++;
                }
                errors.add(path + ".weights: missing, but versions " + String.join(", ", activeVersions)
                        + " all have active backends; say how to split the traffic, e.g. {" + example + "}");
            }
            return;
        }
        int sum = 0;
        int activeSum = 0;
        for (Map.Entry<String, Integer> w : weights.entrySet()) {
            if (!versions.contains(w.getKey())) {
                errors.add(path + ".weights." + w.getKey() + ": no backend has version \"" + w.getKey() + "\""
                        + suggest(w.getKey(), versions) + "; remove the weight or add a backend of that version");
            }
            sum += w.getValue();
            if (activeVersions.contains(w.getKey())) {
                activeSum += w.getValue();
            }
        }
        // Either reading is fine: all weights add up to 100 (the share of a version whose backends
        // are all draining goes to the others, in proportion), or those of the active versions do.
        if (!activeVersions.isEmpty() && sum != 100 && activeSum != 100) {
            errors.add(path + ".weights: they add up to " + sum + " (" + activeSum + " over the versions with active backends: "
                    + String.join(", ", activeVersions) + "); they must add up to 100");
        }
    }

    private BackendConfig backend(Object value, String path) {
        Map<String, Object> m = object(value, path);
        if (m == null) {
            return null;
        }
        keys(m, path + ".", Set.of("id", "version", "port", "state"));
        int before = errors.size();
        String id = required(m, "id", path) ? name(m.get("id"), path + ".id") : null;
        String version = required(m, "version", path) ? name(m.get("version"), path + ".version") : null;
        Long port = required(m, "port", path) ? integer(m.get("port"), path + ".port", 1, 65535) : null;
        BackendState state = BackendState.ACTIVE;
        if (m.containsKey("state")) {
            String s = string(m.get("state"), path + ".state");
            if (s != null) {
                switch (s) {
                    case "active" -> state = BackendState.ACTIVE;
                    case "draining" -> state = BackendState.DRAINING;
                    default -> errors.add(path + ".state: \"" + s + "\" is not a state; use \"active\" or \"draining\"");
                }
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new BackendConfig(id, version, port.intValue(), state);
    }

    private Map<String, Integer> weights(Object value, String path) {
        Map<String, Object> m = object(value, path);
        if (m == null) {
            return null;
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Long w = integer(e.getValue(), path + "." + e.getKey(), 0, 100);
            if (w != null) {
                weights.put(e.getKey(), w.intValue());
            }
        }
        return weights;
    }

    private Sticky sticky(Object value, String path) {
        Map<String, Object> m = object(value, path);
        if (m == null) {
            return null;
        }
        keys(m, path + ".", Set.of("header", "cookie"));
        String header = m.containsKey("header") ? token(m.get("header"), path + ".header") : null;
        String cookie = m.containsKey("cookie") ? token(m.get("cookie"), path + ".cookie") : null;
        if (header == null && cookie == null) {
            if (!m.containsKey("header") && !m.containsKey("cookie")) {
                errors.add(path + ": give \"header\", \"cookie\" or both, or remove \"sticky\"");
            }
            return null;
        }
        return new Sticky(header, cookie);
    }

    // ---------------------------------------------------------------- typed access

    /** An optional boolean that defaults to true. */
    private boolean flag(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null && !m.containsKey(key)) {
            return true;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        errors.add(path + "." + key + ": expected true or false, got " + kind(v));
        return true;
    }

    private boolean required(Map<String, Object> m, String key, String path) {
        if (m.containsKey(key)) {
            return true;
        }
        errors.add(path + "." + key + ": missing");
        return false;
    }

    private void keys(Map<String, Object> m, String prefix, Set<String> allowed) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                errors.add(prefix + k + ": unknown key" + suggest(k, allowed)
                        + "; allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object v, String path) {
        if (v instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        errors.add(path + ": expected an object, got " + kind(v));
        return null;
    }

    @SuppressWarnings("unchecked")
    private List<Object> array(Object v, String path) {
        if (v instanceof List<?> list) {
            return (List<Object>) list;
        }
        errors.add(path + ": expected an array, got " + kind(v));
        return null;
    }

    private String string(Object v, String path) {
        if (v instanceof String s) {
            return s;
        }
        errors.add(path + ": expected a string, got " + kind(v));
        return null;
    }

    private String name(Object v, String path) {
        String s = string(v, path);
        if (s != null && !NAME.matcher(s).matches()) {
            errors.add(path + ": \"" + s + "\" is not a valid name; use letters, digits, '.', '_' and '-' (at most 63)");
            return null;
        }
        return s;
    }

    private String token(Object v, String path) {
        String s = string(v, path);
        if (s != null && !TOKEN.matcher(s).matches()) {
            errors.add(path + ": \"" + s + "\" is not a valid header or cookie name");
            return null;
        }
        return s;
    }

    private Long integer(Object v, String path, long min, long max) {
        Long n = null;
        if (v instanceof Long l) {
            n = l;
        } else if (v instanceof BigDecimal d) {
            try {
                n = d.stripTrailingZeros().longValueExact();
            } catch (ArithmeticException notIntegral) {
                errors.add(path + ": expected an integer, got " + d);
                return null;
            }
        } else {
            errors.add(path + ": expected an integer, got " + kind(v));
            return null;
        }
        if (n < min || n > max) {
            errors.add(path + ": " + n + " is out of range; expected " + min + ".." + max);
            return null;
        }
        return n;
    }

    private static String kind(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            default -> "a number";
        };
    }

    /** "; did you mean `x`?" when a known word is close to the unknown one. */
    static String suggest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = k.equalsIgnoreCase(word) ? 0 : distance(word.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(1, word.length() / 3) ? "; did you mean `" + best + "`?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
