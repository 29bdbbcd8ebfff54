package dev.slipway.router;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link Router} runs. {@link #defaults(Path)} gives the values {@link RouterMain} uses;
 * tests shorten the timeouts with the {@code with...} methods.
 *
 * @param stateDir              where routes.json, router.json and the lock file live
 * @param adminPort             the admin API's port on 127.0.0.1; 0 picks a free one
 * @param token                 the bearer token the admin API requires (except GET /health); null for none
 * @param ioThreads             event-loop threads serving all listeners and upstream connections
 * @param connectTimeout        to establish a connection to a backend; then the next backend is tried
 * @param responseHeaderTimeout from the request fully sent to the response's headers; then 504
 * @param clientIdleTimeout     an idle client keep-alive connection is closed after this
 * @param upstreamIdleTimeout   an idle pooled backend connection is closed after this
 * @param maxIdlePerBackend     idle pooled connections kept per backend and event loop
 * @param shutdownGrace         how long SIGTERM waits for in-flight requests
 * @param limits                what slow or greedy clients may hold
 */
public record RouterOptions(Path stateDir, int adminPort, String token, int ioThreads, Duration connectTimeout,
                            Duration responseHeaderTimeout, Duration clientIdleTimeout, Duration upstreamIdleTimeout,
                            int maxIdlePerBackend, Duration shutdownGrace, RouterLimits limits) {

    public static RouterOptions defaults(Path stateDir) {
        return new RouterOptions(stateDir, 0, null, Runtime.getRuntime().availableProcessors(),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(30),
                256, Duration.ofSeconds(5), RouterLimits.DEFAULTS);
    }

    public RouterOptions withAdminPort(int port) {
        return new RouterOptions(stateDir, port, token, ioThreads, connectTimeout, responseHeaderTimeout,
                clientIdleTimeout, upstreamIdleTimeout, maxIdlePerBackend, shutdownGrace, limits);
    }

    public RouterOptions withToken(String t) {
        return new RouterOptions(stateDir, adminPort, t, ioThreads, connectTimeout, responseHeaderTimeout,
                clientIdleTimeout, upstreamIdleTimeout, maxIdlePerBackend, shutdownGrace, limits);
    }

    public RouterOptions withIoThreads(int n) {
        return new RouterOptions(stateDir, adminPort, token, n, connectTimeout, responseHeaderTimeout,
                clientIdleTimeout, upstreamIdleTimeout, maxIdlePerBackend, shutdownGrace, limits);
    }

    public RouterOptions withTimeouts(Duration connect, Duration responseHeader, Duration clientIdle,
                                      Duration upstreamIdle) {
        return new RouterOptions(stateDir, adminPort, token, ioThreads, connect, responseHeader, clientIdle,
                upstreamIdle, maxIdlePerBackend, shutdownGrace, limits);
    }

    public RouterOptions withShutdownGrace(Duration grace) {
        return new RouterOptions(stateDir, adminPort, token, ioThreads, connectTimeout, responseHeaderTimeout,
                clientIdleTimeout, upstreamIdleTimeout, maxIdlePerBackend, grace, limits);
    }

    public RouterOptions withClientIdleTimeout(Duration keepAlive) {
        return new RouterOptions(stateDir, adminPort, token, ioThreads, connectTimeout, responseHeaderTimeout,
                keepAlive, upstreamIdleTimeout, maxIdlePerBackend, shutdownGrace, limits);
    }

    public RouterOptions withLimits(RouterLimits l) {
        return new RouterOptions(stateDir, adminPort, token, ioThreads, connectTimeout, responseHeaderTimeout,
                clientIdleTimeout, upstreamIdleTimeout, maxIdlePerBackend, shutdownGrace, l);
    }
}
