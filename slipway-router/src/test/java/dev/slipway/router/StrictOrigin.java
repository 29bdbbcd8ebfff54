package dev.slipway.router;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An origin server that reads HTTP/1.1 requests exactly as RFC 9112 writes them, accepting nothing a
 * lenient server would have to guess at: CRLF line ends only, no obs-fold, token names with the colon
 * right after, field values of VCHAR / obs-text / SP / HTAB, one Host, one plain Content-Length or
 * Transfer-Encoding "chunked" alone (never both), strict chunk sizes, extensions and trailers.
 *
 * <p>Every request it sees is recorded ({@link #seen}): conforming and complete, cut off (the
 * connection closed inside it), or a violation (then it answers 400 and closes). Each complete request
 * is answered 200 with the body "seen METHOD TARGET", on a keep-alive connection.
 */
final class StrictOrigin implements AutoCloseable {
    /** One request: violation is null when it conformed; complete is false when the connection closed inside it. */
    record Seen(String method, String target, String violation, boolean complete) {
    }

    private static final class Violation extends Exception {
        Violation(String message) {
            super(message);
        }
    }

    private static final int MAX_LINE = 64 * 1024;

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ServerSocket server;

    StrictOrigin() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                Request r = new Request();
                try {
                    if (!r.read(in)) {
                        return; // closed between requests
                    }
                } catch (EOFException cut) {
                    seen.add(new Seen(r.method, r.target, null, false));
                    return;
                } catch (Violation v) {
                    seen.add(new Seen(r.method, r.target, v.getMessage(), true));
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                seen.add(new Seen(r.method, r.target, null, true));
                byte[] body = ("seen " + r.method + " " + r.target).getBytes(StandardCharsets.ISO_8859_1);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // the router closed the connection
        }
    }

    /** One request read off the wire; method and target are known once the request line was read. */
    private static final class Request {
        String method;
        String target;

        /** False on a clean close before the first byte; EOFException when closed inside the request. */
        boolean read(InputStream in) throws IOException, Violation {
            int first = in.read();
            if (first < 0) {
                return false;
            }
            String line = line(in, first);
            String[] parts = line.split(" ", -1);
            if (parts.length != 3) {
                throw new Violation("request line not three parts separated by single spaces");
            }
            method = parts[0];
            target = parts[1];
            if (method.isEmpty() || !tokenOnly(method)) {
                throw new Violation("method not a token");
            }
            checkTarget(target, method);
            if (!parts[2].equals("HTTP/1.1")) {
                throw new Violation("version not HTTP/1.1");
            }
            int hosts = 0;
            List<String> lengths = new ArrayList<>();
            List<String> codings = new ArrayList<>();
            for (String f; !(f = line(in, in.read())).isEmpty(); ) {
                String[] field = field(f);
                switch (field[0].toLowerCase(Locale.ROOT)) {
                    case "host" -> {
                        hosts++;
                        checkHost(field[1]);
                    }
                    case "content-length" -> lengths.add(field[1]);
                    case "transfer-encoding" -> {
                        for (String c : field[1].split(",", -1)) {
                            String t = c.strip();
                            if (!t.isEmpty()) {
                                codings.add(t.toLowerCase(Locale.ROOT));
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            if (hosts != 1) {
                throw new Violation(hosts + " Host fields");
            }
            if (!codings.isEmpty()) {
                if (!lengths.isEmpty()) {
                    throw new Violation("both Transfer-Encoding and Content-Length");
                }
                if (!codings.equals(List.of("chunked"))) {
                    throw new Violation("Transfer-Encoding " + codings + " is not chunked alone");
                }
                chunkedBody(in);
            } else if (!lengths.isEmpty()) {
                if (lengths.size() > 1 || !lengths.get(0).matches("[0-9]{1,18}")) {
                    throw new Violation("Content-Length " + lengths + " is not one plain number");
                }
                long n = Long.parseLong(lengths.get(0));
                if (skip(in, n) < n) {
                    throw new EOFException();
                }
            }
            return true;
        }
    }

    /** Reads and drops up to n bytes; how many there were before the end of the stream. */
    private static long skip(InputStream in, long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    /** A line's text without its CRLF, starting with {@code first} (already read). */
    private static String line(InputStream in, int first) throws IOException, Violation {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c = first;
        while (true) {
            if (c < 0) {
                throw new EOFException();
            }
            if (c == '\n') {
                throw new Violation("bare LF");
            }
            if (c == '\r') {
                int n = in.read();
                if (n < 0) {
                    throw new EOFException();
                }
                if (n != '\n') {
                    throw new Violation("bare CR");
                }
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            if (b.size() > MAX_LINE) {
                throw new Violation("line too long");
            }
            c = in.read();
        }
    }

    /** [name, value] of a field line, per RFC 9112 5. */
    private static String[] field(String line) throws Violation {
        if (line.startsWith(" ") || line.startsWith("\t")) {
            throw new Violation("obs-fold");
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || !tokenOnly(line.substring(0, colon))) {
            throw new Violation("field name not a token followed by a colon: " + line);
        }
        String value = line.substring(colon + 1);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c == 0x7f)) {
                throw new Violation("control character in a field value");
            }
        }
        return new String[]{line.substring(0, colon), value.strip()};
    }

    private static void checkTarget(String t, String method) throws Violation {
        if (t.isEmpty()) {
            throw new Violation("empty target");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw new Violation("invalid byte in the target");
            }
        }
        boolean origin = t.charAt(0) == '/';
        boolean asterisk = t.equals("*") && method.equals("OPTIONS");
        boolean absolute = t.matches("[A-Za-z][A-Za-z0-9+.-]*:.*");
        if (!origin && !asterisk && !absolute) {
            throw new Violation("target in no request-target form");
        }
    }

    private static void checkHost(String host) throws Violation {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && "-._~%!$&'()*+;=:[]".indexOf(c) < 0) {
                throw new Violation("Host is not uri-host[:port]");
            }
        }
    }

    /** tchar (RFC 9110 5.6.2), written out here so the origin shares no code with the router. */
    private static boolean tokenOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 0x80 && Character.isLetterOrDigit(c)) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9112 7.1: chunks, the last chunk, trailer fields, the final CRLF. */
    private static void chunkedBody(InputStream in) throws IOException, Violation {
        while (true) {
            String line = line(in, in.read());
            int i = 0;
            while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0 && line.charAt(i) < 0x80) {
                i++;
            }
            if (i == 0) {
                throw new Violation("chunk size not hex");
            }
            String digits = line.substring(0, i).replaceFirst("^0+(?=.)", "");
            if (digits.length() > 15) {
                throw new Violation("chunk size overflows");
            }
            long size = Long.parseLong(digits, 16);
            checkExtensions(line.substring(i));
            if (size == 0) {
                break;
            }
            if (skip(in, size) < size) {
                throw new EOFException();
            }
            if (!line(in, in.read()).isEmpty()) {
                throw new Violation("chunk data not followed by CRLF");
            }
        }
        for (String t; !(t = line(in, in.read())).isEmpty(); ) {
            field(t);
        }
    }

    /** chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-val = token / quoted-string. */
    private static void checkExtensions(String ext) throws Violation {
        String token = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
        String quoted = "\"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t \\x21-\\x7e\\x80-\\xff])*\"";
        String one = "[ \\t]*;[ \\t]*" + token + "(?:[ \\t]*=[ \\t]*(?:" + token + "|" + quoted + "))?";
        if (!ext.matches("(?:" + one + ")*")) {
            throw new Violation("chunk extension outside the grammar: " + ext);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
