package dev.slipway.router;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * The router's counters, rendered in the Prometheus text exposition format (version 0.0.4).
 *
 * <p>Recording is a few {@link LongAdder} increments on the event loop, never a lock. Series are
 * created when a backend first appears and live as long as the process: counters never reset, and a
 * backend removed from the configuration keeps its series (its in-flight gauge drops to 0).
 * Rendering walks the series once; the canary analysis scrapes this every ~250 ms.
 */
final class Metrics {
    /** Upper bounds of the latency histogram's finite buckets, in seconds. */
    static final double[] BOUNDS = {.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
    private static final String[] LE = {"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
            "0.5", "1", "2.5", "5", "10", "+Inf"};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];
    private static final String[] CODES = {"1xx", "2xx", "3xx", "4xx", "5xx", "error"};
    /** Index into the requests counters for failures the router itself generated (502, 503, 504). */
    static final int ERROR = 5;

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    private final ConcurrentHashMap<String, Series> seriesByKey = new ConcurrentHashMap<>();
    private final List<Series> series = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, ServiceCounters> servicesByName = new ConcurrentHashMap<>();
    private final List<ServiceCounters> services = new CopyOnWriteArrayList<>();
    private volatile long generation;
    /** The cut-offs of {@link RouterLimits}: one counter per reason and kind, fixed label sets. */
    final LongAdder[] rejected = adders(REJECT_REASONS.length);
    final LongAdder[] timeouts = adders(TIMEOUT_KINDS.length);
    final LongAdder backendBusy = new LongAdder();
    private volatile IntSupplier clientConnections = () -> 0;
    private volatile LongSupplier directMemory = () -> -1;

    static final String[] REJECT_REASONS = {"max-connections", "head-buffers", "write-buffers"};
    static final int REJECT_MAX_CONNECTIONS = 0;
    static final int REJECT_HEAD_BUFFERS = 1;
    static final int REJECT_WRITE_BUFFERS = 2;
    static final String[] TIMEOUT_KINDS = {"request-head", "keep-alive", "client-body", "client-write",
            "upstream-body", "upstream-write", "tunnel-idle"};
    static final int TIMEOUT_REQUEST_HEAD = 0;
    static final int TIMEOUT_KEEP_ALIVE = 1;
    static final int TIMEOUT_CLIENT_BODY = 2;
    static final int TIMEOUT_CLIENT_WRITE = 3;
    static final int TIMEOUT_UPSTREAM_BODY = 4;
    static final int TIMEOUT_UPSTREAM_WRITE = 5;
    static final int TIMEOUT_TUNNEL_IDLE = 6;

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    void gauges(IntSupplier clients, LongSupplier direct) {
        clientConnections = clients;
        directMemory = direct;
    }

    /** The series of one backend; the same object every time for the same three labels. */
    Series series(String service, String version, String backend) {
        String key = service + '\0' + version + '\0' + backend;
        Series s = seriesByKey.get(key);
        if (s != null) {
            return s;
        }
        return seriesByKey.computeIfAbsent(key, k -> {
            Series created = new Series("service=\"" + escape(service) + "\",version=\"" + escape(version)
                    + "\",backend=\"" + escape(backend) + "\"");
            series.add(created);
            return created;
        });
    }

    ServiceCounters service(String name) {
        ServiceCounters s = servicesByName.get(name);
        if (s != null) {
            return s;
        }
        return servicesByName.computeIfAbsent(name, k -> {
            ServiceCounters created = new ServiceCounters("service=\"" + escape(name) + "\"");
            services.add(created);
            return created;
        });
    }

    void generation(long g) {
        generation = g;
    }

    /** Per (service, version, backend): requests by code class, latency histogram, in-flight, connect errors. */
    static final class Series {
        final String labels;
        final LongAdder[] codes = new LongAdder[CODES.length];
        /**
         * Requests pinned by the client (X-Slipway-Version or the pin cookie), apart: anyone can pin, so
         * they must not weigh in a canary's error rate or latency (the analysis reads only the others).
         */
        final LongAdder[] pinnedCodes = new LongAdder[CODES.length];
        final LongAdder[] buckets = new LongAdder[LE.length];
        final LongAdder sumNanos = new LongAdder();
        final LongAdder connectErrors = new LongAdder();
        /** The in-flight counters of the live backends behind this series (usually one). */
        final List<IntSupplier> inflight = new CopyOnWriteArrayList<>();

        Series(String labels) {
            this.labels = labels;
            for (int i = 0; i < codes.length; i++) {
                codes[i] = new LongAdder();
                pinnedCodes[i] = new LongAdder();
            }
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        /** Records one finished request: its status (or {@link #ERROR}) and, unless it was pinned, its duration. */
        void record(int codeIndex, long nanos, boolean pinned) {
            if (pinned) {
                pinnedCodes[codeIndex].increment();
                return;
            }
            record(codeIndex, nanos);
        }

        /** Records one finished unpinned request: its status (or {@link #ERROR}) and its duration. */
        void record(int codeIndex, long nanos) {
            codes[codeIndex].increment();
            int b = 0;
            while (b < BOUND_NANOS.length && nanos > BOUND_NANOS[b]) {
                b++;
            }
            buckets[b].increment();
            sumNanos.add(nanos);
        }

        static int codeIndex(int status) {
            int c = status / 100;
            return c >= 1 && c <= 5 ? c - 1 : ERROR;
        }
    }

    /** Per service: retries and client aborts. */
    static final class ServiceCounters {
        final String labels;
        final LongAdder retries = new LongAdder();
        final LongAdder clientAborts = new LongAdder();

        ServiceCounters(String labels) {
            this.labels = labels;
        }
    }

    String render() {
        StringBuilder sb = new StringBuilder(512 + series.size() * 2048);
        sb.append("# HELP slipway_router_requests_total Requests proxied (not pinned by the client), by response code class; "
                + "\"error\" counts failures the router generated (502, 503, 504, truncated responses).\n");
        sb.append("# TYPE slipway_router_requests_total counter\n");
        for (Series s : series) {
            for (int i = 0; i < CODES.length; i++) {
                sb.append("slipway_router_requests_total{").append(s.labels).append(",code=\"").append(CODES[i])
                        .append("\"} ").append(s.codes[i].sum()).append('\n');
            }
        }
        sb.append("# HELP slipway_router_pinned_requests_total Requests pinned to a version by the client "
                + "(X-Slipway-Version header or slipway-version cookie), by response code class; not in the other series.\n");
        sb.append("# TYPE slipway_router_pinned_requests_total counter\n");
        for (Series s : series) {
            for (int i = 0; i < CODES.length; i++) {
                sb.append("slipway_router_pinned_requests_total{").append(s.labels).append(",code=\"").append(CODES[i])
                        .append("\"} ").append(s.pinnedCodes[i].sum()).append('\n');
            }
        }
        sb.append("# HELP slipway_router_request_duration_seconds From the request's headers received to the "
                + "response's last byte handed to the client connection.\n");
        sb.append("# TYPE slipway_router_request_duration_seconds histogram\n");
        for (Series s : series) {
            long cumulative = 0;
            for (int i = 0; i < LE.length; i++) {
                cumulative += s.buckets[i].sum();
                sb.append("slipway_router_request_duration_seconds_bucket{").append(s.labels).append(",le=\"")
                        .append(LE[i]).append("\"} ").append(cumulative).append('\n');
            }
            sb.append("slipway_router_request_duration_seconds_sum{").append(s.labels).append("} ")
                    .append(seconds(s.sumNanos.sum())).append('\n');
            sb.append("slipway_router_request_duration_seconds_count{").append(s.labels).append("} ")
                    .append(cumulative).append('\n');
        }
        sb.append("# HELP slipway_router_inflight_requests Requests sent to a backend and not yet finished.\n");
        sb.append("# TYPE slipway_router_inflight_requests gauge\n");
        for (Series s : series) {
            long n = 0;
            for (IntSupplier a : s.inflight) {
                n += a.getAsInt();
            }
            sb.append("slipway_router_inflight_requests{").append(s.labels).append("} ").append(n).append('\n');
        }
        sb.append("# HELP slipway_router_upstream_connect_errors_total Connections to a backend that could not be established.\n");
        sb.append("# TYPE slipway_router_upstream_connect_errors_total counter\n");
        for (Series s : series) {
            sb.append("slipway_router_upstream_connect_errors_total{").append(s.labels).append("} ")
                    .append(s.connectErrors.sum()).append('\n');
        }
        sb.append("# HELP slipway_router_retries_total Requests sent again to another backend (connect failure, "
                + "or an idempotent request whose pooled connection closed before any response byte).\n");
        sb.append("# TYPE slipway_router_retries_total counter\n");
        for (ServiceCounters s : services) {
            sb.append("slipway_router_retries_total{").append(s.labels).append("} ").append(s.retries.sum()).append('\n');
        }
        sb.append("# HELP slipway_router_client_aborts_total Requests the client gave up on before the response was complete.\n");
        sb.append("# TYPE slipway_router_client_aborts_total counter\n");
        for (ServiceCounters s : services) {
            sb.append("slipway_router_client_aborts_total{").append(s.labels).append("} ")
                    .append(s.clientAborts.sum()).append('\n');
        }
        renderLimits(sb);
        sb.append("# HELP slipway_router_config_generation Generation of the applied route configuration.\n");
        sb.append("# TYPE slipway_router_config_generation gauge\n");
        sb.append("slipway_router_config_generation ").append(generation).append('\n');
        return sb.toString();
    }

    private void renderLimits(StringBuilder sb) {
        sb.append("# HELP slipway_router_client_connections Open client connections, over all listeners.\n");
        sb.append("# TYPE slipway_router_client_connections gauge\n");
        sb.append("slipway_router_client_connections ").append(clientConnections.getAsInt()).append('\n');
        sb.append("# HELP slipway_router_connections_rejected_total Client connections closed at once: over the "
                + "connection limit, a request head that found the head buffers full, a stalled client that found the "
                + "write buffers full.\n");
        sb.append("# TYPE slipway_router_connections_rejected_total counter\n");
        for (int i = 0; i < REJECT_REASONS.length; i++) {
            sb.append("slipway_router_connections_rejected_total{reason=\"").append(REJECT_REASONS[i]).append("\"} ")
                    .append(rejected[i].sum()).append('\n');
        }
        sb.append("# HELP slipway_router_timeouts_total Connections closed because a limit's time ran out, by kind.\n");
        sb.append("# TYPE slipway_router_timeouts_total counter\n");
        for (int i = 0; i < TIMEOUT_KINDS.length; i++) {
            sb.append("slipway_router_timeouts_total{kind=\"").append(TIMEOUT_KINDS[i]).append("\"} ")
                    .append(timeouts[i].sum()).append('\n');
        }
        sb.append("# HELP slipway_router_backend_busy_total Requests answered 503 because every backend they may use "
                + "had its maximum of connections busy.\n");
        sb.append("# TYPE slipway_router_backend_busy_total counter\n");
        sb.append("slipway_router_backend_busy_total ").append(backendBusy.sum()).append('\n');
        Runtime rt = Runtime.getRuntime();
        sb.append("# HELP slipway_router_memory_bytes Memory in use: the JVM heap, and Netty's direct buffers (-1 when "
                + "not tracked).\n");
        sb.append("# TYPE slipway_router_memory_bytes gauge\n");
        sb.append("slipway_router_memory_bytes{area=\"heap\"} ").append(rt.totalMemory() - rt.freeMemory()).append('\n');
        sb.append("slipway_router_memory_bytes{area=\"direct\"} ").append(directMemory.getAsLong()).append('\n');
    }

    private static String seconds(long nanos) {
        // Plain decimal, nanosecond precision: 1234567 ns -> "0.001234567".
        long whole = nanos / 1_000_000_000L;
        long frac = nanos % 1_000_000_000L;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = Long.toString(1_000_000_000L + frac).substring(1);
        int end = f.length();
        while (f.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + f.substring(0, end);
    }

    static String escape(String v) {
        if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
