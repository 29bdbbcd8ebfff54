package dev.slipway.router;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The router process:
 * <pre>
 * java [flags] -cp CLASSPATH dev.slipway.router.RouterMain --state-dir DIR [--admin-port N] [--token-file FILE] [--io-threads N]
 *     [--max-connections N] [--request-head-timeout D] [--body-idle-timeout D] [--keep-alive-timeout D]
 *     [--tunnel-idle-timeout D] [--max-connections-per-backend N] [--head-buffers SIZE]
 *     [--write-buffers SIZE]
 * </pre>
 * (the limits: {@link RouterLimits}; D is a duration such as {@code 10s}, SIZE a size such as {@code 16m})
 * Runs in the foreground; on start writes {@code DIR/router.json} ({@code {"pid":…,"adminPort":…}});
 * serves {@code DIR/routes.json} if present. SIGTERM (or SIGINT) stops accepting, lets in-flight
 * requests finish for up to 5 s and exits 0. Exit 1 when it cannot start, 2 on bad usage.
 */
public final class RouterMain {
    private static final String USAGE = "usage: RouterMain --state-dir DIR [--admin-port N] [--token-file FILE] [--io-threads N]"
            + " [--max-connections N] [--request-head-timeout D] [--body-idle-timeout D] [--keep-alive-timeout D]"
            + " [--tunnel-idle-timeout D] [--max-connections-per-backend N] [--head-buffers SIZE] [--write-buffers SIZE]";

    private RouterMain() {
    }

    public static void main(String[] args) {
        nettyDefaults(System.getProperties());
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Netty settings for the router unless the command line gives them; to be applied before any Netty
     * class loads. JFR: Netty's events pull in the JFR machinery (~200 classes, tens of ms at start) for
     * events nobody records here. Leak detection: at its default level it records a stack trace for one
     * buffer in 128 on the event loop (about one per 180 requests, ~15 % of the router's garbage, see
     * docs/benchmarks.md); the tests run with {@code paranoid} instead and fail on any leak.
     */
    static void nettyDefaults(Properties p) {
        p.putIfAbsent("io.netty.jfr.enabled", "false");
        p.putIfAbsent("io.netty.leakDetection.level", "disabled");
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path stateDir = null;
        int adminPort = 0;
        Path tokenFile = null;
        Integer ioThreads = null;
        RouterLimits limits = RouterLimits.DEFAULTS;
        java.time.Duration keepAlive = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            try {
                switch (a) {
                    case "--state-dir" -> stateDir = Path.of(required(a, value));
                    case "--admin-port" -> adminPort = port(a, required(a, value));
                    case "--token-file" -> tokenFile = Path.of(required(a, value));
                    case "--io-threads" -> ioThreads = positive(a, required(a, value));
                    case "--max-connections" -> limits = limits.withMaxConnections(positive(a, required(a, value)));
                    case "--max-connections-per-backend" ->
                            limits = limits.withMaxConnectionsPerBackend(positive(a, required(a, value)));
                    case "--request-head-timeout" -> limits = limits.withTimeouts(duration(a, required(a, value)),
                            limits.bodyIdleTimeout(), limits.tunnelIdleTimeout());
                    case "--body-idle-timeout" -> limits = limits.withTimeouts(limits.requestHeadTimeout(),
                            duration(a, required(a, value)), limits.tunnelIdleTimeout());
                    case "--tunnel-idle-timeout" -> limits = limits.withTimeouts(limits.requestHeadTimeout(),
                            limits.bodyIdleTimeout(), duration(a, required(a, value)));
                    case "--keep-alive-timeout" -> keepAlive = duration(a, required(a, value));
                    case "--head-buffers" -> limits = limits.withHeadBufferBytes(bytes(a, required(a, value)));
                    case "--write-buffers" -> limits = limits.withWriteBufferBytes(bytes(a, required(a, value)));
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (IllegalArgumentException e) {
                err.println("slipway-router: " + e.getMessage());
                err.println(USAGE);
                return 2;
            }
            i++;
        }
        if (stateDir == null) {
            err.println("slipway-router: --state-dir is required");
            err.println(USAGE);
            return 2;
        }
        RouterOptions options = RouterOptions.defaults(stateDir).withAdminPort(adminPort).withLimits(limits);
        if (keepAlive != null) {
            options = options.withClientIdleTimeout(keepAlive);
        }
        if (ioThreads != null) {
            options = options.withIoThreads(ioThreads);
        }
        if (tokenFile != null) {
            try {
                String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) {
                    err.println("slipway-router: the token file " + tokenFile + " is empty; put the admin token in it");
                    return 2;
                }
                options = options.withToken(token);
            } catch (IOException e) {
                err.println("slipway-router: cannot read the token file " + tokenFile + ": " + e
                        + "; check the path and its permissions");
                return 2;
            }
        }
        Router router;
        try {
            router = Router.start(options);
        } catch (RouterException e) {
            err.println("slipway-router: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.time.Duration grace = options.shutdownGrace();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Log.info("signal received: stopping");
            router.stop(grace);
            stopped.countDown();
            out.flush();
            // A JVM ended by SIGTERM exits 143 even after its hooks ran; the stop was clean, so say 0.
            Runtime.getRuntime().halt(0);
        }, "slipway-router-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String required(String option, String value) {
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int port(String option, String value) {
        try {
            int p = Integer.parseInt(value);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port number 0..65535 (0 = any free port), not " + value);
        }
    }

    private static java.time.Duration duration(String option, String value) {
        try {
            return RouterLimits.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static long bytes(String option, String value) {
        try {
            return RouterLimits.parseBytes(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive number, not " + value);
        }
    }
}
