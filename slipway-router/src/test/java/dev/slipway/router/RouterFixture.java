package dev.slipway.router;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A router running in this JVM with its own state directory, and an HTTP client to talk to it. */
final class RouterFixture implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Path stateDir;
    final Router router;
    /** What the router logged while this fixture ran (its lines still go to standard output too). */
    private final java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    private final java.io.PrintStream logBefore;

    RouterFixture(RouterOptions options) throws RouterException {
        this.stateDir = options.stateDir();
        java.io.PrintStream stdout = System.out;
        this.logBefore = Log.to(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (log) {
                    log.write(b, off, len);
                }
                stdout.write(b, off, len);
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8));
        this.router = Router.start(options);
    }

    /** Every line the router logged so far. */
    String log() {
        synchronized (log) {
            return log.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * The router's log line about an error response it generated, found by the request id the
     * response carries (header and body); fails when the response has none or the log lacks it.
     */
    String logged(HttpResponse<String> r) {
        String id = r.headers().firstValue("x-slipway-request-id")
                .orElseThrow(() -> new AssertionError("no x-slipway-request-id in a " + r.statusCode() + ": " + r.body()));
        if (!r.body().contains("request id " + id)) {
            throw new AssertionError("the body does not give the request id " + id + ": " + r.body());
        }
        return loggedFor(id);
    }

    /** The same for a raw response: the request id is read from the body ("request id 3f9a0c12"). */
    String logged(RawClient.Response r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("request id ([0-9a-f]{8})").matcher(r.body());
        if (!m.find()) {
            throw new AssertionError("no request id in a " + r.status() + ": " + r.body());
        }
        return loggedFor(m.group(1));
    }

    private String loggedFor(String id) {
        return log().lines().filter(l -> l.contains("request " + id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("request " + id + " is not in the router's log:\n" + log()));
    }

    static RouterFixture start() throws Exception {
        return start(o -> o);
    }

    static RouterFixture start(java.util.function.UnaryOperator<RouterOptions> customize) throws Exception {
        Path dir = Files.createTempDirectory("slipway-router-test");
        return new RouterFixture(customize.apply(RouterOptions.defaults(dir).withIoThreads(2)
                .withShutdownGrace(Duration.ofSeconds(2))));
    }

    String admin(String path) {
        return "http://127.0.0.1:" + router.adminPort() + path;
    }

    HttpResponse<String> put(String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(admin("/routes"))).PUT(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** PUTs and insists on 200. */
    void apply(String json) throws IOException, InterruptedException {
        HttpResponse<String> r = put(json);
        if (r.statusCode() != 200) {
            throw new AssertionError("PUT /routes answered " + r.statusCode() + ": " + r.body());
        }
    }

    HttpResponse<String> adminGet(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(admin(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Series of one metric from GET /metrics: labels text to value. */
    Map<String, Double> metric(String name) throws IOException, InterruptedException {
        return parseMetric(adminGet("/metrics").body(), name);
    }

    static Map<String, Double> parseMetric(String text, String name) {
        Map<String, Double> m = new HashMap<>();
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
        Matcher mt = p.matcher(text);
        while (mt.find()) {
            m.put(mt.group(1) == null ? "" : mt.group(1), Double.parseDouble(mt.group(2)));
        }
        return m;
    }

    static HttpResponse<String> get(int port, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {"id":…,"version":…,"port":…,"state":…} */
    static String backend(String id, String version, int port, String state) {
        return "{\"id\":\"" + id + "\",\"version\":\"" + version + "\",\"port\":" + port + ",\"state\":\"" + state + "\"}";
    }

    @Override
    public void close() throws IOException {
        router.close();
        Log.to(logBefore);
        try (var files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
