package dev.slipway.router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import static dev.slipway.router.RouterFixture.backend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling, differentially: every request of {@code smuggling/corpus.txt} (malformed or
 * ambiguous) goes raw through a real router to a {@link StrictOrigin}, followed on the same connection
 * by a marker request. The router must either refuse it (4xx — or 501 / 505 where RFC 9112 says so —
 * and close the connection) or forward it normalised; and the origin must see exactly the requests the
 * router counted, conforming, the case's and then the marker — never one more (a smuggled request).
 */
class SmugglingCorpusIT {
    static final String MARKER = "GET /__marker HTTP/1.1\r\nHost: marker\r\n\r\n";

    record Case(String name, String expected, byte[] request) {
    }

    /** A response as the client read it; origin when its body came from the origin ("seen ..."). */
    record Response(int status, Map<String, String> headers, String body) {
        boolean fromOrigin() {
            return body.startsWith("seen ");
        }
    }

    private RouterFixture fx;
    private StrictOrigin origin;
    private int listen;

    @BeforeEach
    void start() throws Exception {
        fx = RouterFixture.start();
        origin = new StrictOrigin();
        listen = RouterFixture.freePort();
        fx.apply("{\"services\":{\"api\":{\"listen\":" + listen + ",\"backends\":[" + backend("origin", "r1", origin.port(), "active")
                + "]}}}");
    }

    @AfterEach
    void stop() throws Exception {
        origin.close();
        fx.close();
    }

    @Test
    void everyCase_isRefusedOrForwardedNormalised_andTheOriginSeesExactlyWhatTheRouterCounted() throws Exception {
        List<Case> cases = load();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
        List<String> failures = new ArrayList<>();
        int refused = 0;
        int forwarded = 0;
        int desyncs = 0;
        for (Case c : cases) {
            Outcome o = run(c);
            if (o.actual.equals("refused")) {
                refused++;
            } else if (o.actual.equals("forwarded")) {
                forwarded++;
            }
            if (o.desync) {
                desyncs++;
            }
            if (!o.problems.isEmpty()) {
                failures.add(c.name + " (expected " + c.expected + ", was " + o.actual + "): " + String.join("; ", o.problems));
            }
        }
        System.out.println("smuggling corpus: " + cases.size() + " cases, " + refused + " refused, " + forwarded + " forwarded, "
                + desyncs + " desyncs");
        assertThat(failures).as("cases that failed").isEmpty();
        assertThat(desyncs).isZero();
    }

    private static final class Outcome {
        String actual = "unanswered";
        boolean desync;
        final List<String> problems = new ArrayList<>();
    }

    private Outcome run(Case c) throws Exception {
        Outcome o = new Outcome();
        origin.seen.clear();
        double before = routerCount();
        List<Response> responses = new ArrayList<>();
        boolean closed = exchange(c.request, responses);
        Thread.sleep(30); // anything the origin still reads from this case lands before we look
        List<StrictOrigin.Seen> seen = List.copyOf(origin.seen);
        double counted = routerCount() - before;

        for (StrictOrigin.Seen s : seen) {
            if (s.violation() != null) {
                o.problems.add("the origin saw a non-conforming request " + s.method() + " " + s.target() + ": " + s.violation());
            }
            if (s.target() != null && s.target().contains("smuggled")) {
                o.desync = true;
                o.problems.add("SMUGGLED: the origin saw " + s.method() + " " + s.target());
            }
        }
        Response first = responses.isEmpty() ? null : responses.get(0);
        List<StrictOrigin.Seen> complete = seen.stream().filter(StrictOrigin.Seen::complete).toList();
        if (counted != complete.size()) {
            o.desync = true;
            o.problems.add("the router counted " + counted + " request(s), the origin saw " + seen);
        }
        if (seen.size() - complete.size() > 1) {
            o.problems.add("more than one request cut off: " + seen);
        }
        if (first != null && !first.fromOrigin() && isRefusal(first.status)) {
            o.actual = "refused";
            if (!closed) {
                o.problems.add("refused with " + first.status + " but the connection stayed open");
            }
            // A refused body may have left the origin with a cut-off request (never a complete one).
            if (responses.size() > 1 || !complete.isEmpty()) {
                o.desync = true;
                o.problems.add("refused, yet the origin answered " + complete);
            }
        } else if (first != null && first.fromOrigin()) {
            o.actual = "forwarded";
            boolean caseClosed = "close".equalsIgnoreCase(first.headers.get("connection"));
            List<String> want = caseClosed ? List.of("case") : List.of("case", "/__marker");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < complete.size(); i++) {
                String t = complete.get(i).target();
                got.add(i == 0 && !Objects.equals(t, "/__marker") ? "case" : t);
            }
            if (!got.equals(want)) {
                o.desync = true;
                o.problems.add("the origin saw " + complete + ", expected the case" + (caseClosed ? "" : " then the marker"));
            }
            if (!caseClosed && (responses.size() != 2 || !responses.get(1).body.equals("seen GET /__marker"))) {
                o.desync = true;
                o.problems.add("the marker's answer was not the second and last: " + responses);
            }
            if (first.status != 200) {
                o.problems.add("the origin answered " + first.status);
            }
        } else {
            o.problems.add("no refusal and no forwarded answer: " + responses + (closed ? ", connection closed" : ""));
        }
        if (!o.actual.equals(c.expected)) {
            o.problems.add("the corpus expects " + c.expected);
        }
        return o;
    }

    /** Router refusals: 4xx, and the 501 / 505 RFC 9112 prescribes for an unknown coding or version. */
    private static boolean isRefusal(int status) {
        return status / 100 == 4 || status == 501 || status == 505;
    }

    /** Requests to the origin the router recorded (any code, errors included). */
    private double routerCount() throws Exception {
        return fx.metric("slipway_router_requests_total").entrySet().stream()
                .filter(e -> e.getKey().contains("backend=\"origin\"")).mapToDouble(Map.Entry::getValue).sum();
    }

    /** Sends the case and the marker; reads final responses until the router closes or falls silent. True when closed. */
    private boolean exchange(byte[] request, List<Response> responses) throws IOException {
        try (Socket s = new Socket("127.0.0.1", listen)) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.write(MARKER.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException refusedEarly) {
                // the router answered and closed before taking it all
            }
            InputStream in = s.getInputStream();
            try {
                while (true) {
                    Response r = read(in);
                    if (r == null) {
                        return true;
                    }
                    if (r.status / 100 == 1) {
                        continue;
                    }
                    responses.add(r);
                    if (responses.size() == 2) {
                        s.setSoTimeout(200); // nothing more should come
                    }
                }
            } catch (SocketTimeoutException quiet) {
                return false;
            } catch (SocketException reset) {
                return true;
            }
        }
    }

    private static Response read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l; (l = line(in)) != null && !l.isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (code / 100 != 1 && code != 204 && code != 304) {
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int n; (n = Integer.parseInt(line(in).split(";")[0], 16)) > 0; ) {
                    body.write(in.readNBytes(n));
                    line(in);
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            } else if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else {
                body.write(in.readAllBytes());
            }
        }
        return new Response(code, headers, body.toString(StandardCharsets.ISO_8859_1));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return sb.toString().stripTrailing();
            }
            sb.append((char) b);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** Reads the corpus: "name | expected" then "send <escaped request>", one case after the other. */
    static List<Case> load() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(SmugglingCorpusIT.class.getResourceAsStream("/smuggling/corpus.txt"))) {
            String name = null;
            String expected = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("send ")) {
                    if (name == null) {
                        throw new IllegalStateException("corpus: a request without a case line before it: " + line);
                    }
                    cases.add(new Case(name, expected, unescape(line.substring(5))));
                    name = null;
                } else {
                    String[] parts = line.split(" \\| ");
                    if (parts.length != 2 || !(parts[1].equals("refused") || parts[1].equals("forwarded"))) {
                        throw new IllegalStateException("corpus: expected \"<name> | refused|forwarded\", got: " + line);
                    }
                    name = parts[0].trim();
                    expected = parts[1];
                }
            }
        }
        return cases;
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalStateException("corpus: unknown escape \\" + e + " in " + s);
            }
        }
        return out.toByteArray();
    }
}
