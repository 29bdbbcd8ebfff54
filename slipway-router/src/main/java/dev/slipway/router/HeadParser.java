package dev.slipway.router;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Finds and parses one HTTP/1.1 message head (start line and header fields, RFC 9112) without
 * building header objects: the head is copied into a reusable byte array and each field is kept as
 * offsets. The proxy looks at a dozen header names and copies everything else through unchanged.
 *
 * <p>Strict where leniency enables request smuggling: lines end with CRLF (no bare CR or LF), no
 * whitespace between a field name and its colon, no obsolete line folding, no control characters in
 * values, names are tokens. One instance per connection direction; results are valid until the next
 * {@link #find}.
 */
final class HeadParser {
    static final int MAX_HEAD = 32 * 1024;
    /** After a head larger than this the copy array goes back to its first size (see {@link #shrink}). */
    static final int SHRINK_ABOVE = 4 * 1024;
    private static final int INITIAL = 1024;
    private static final int MAX_FIELDS = 256;

    // Header kinds the proxy acts on; OTHER for the rest.
    static final byte OTHER = 0;
    static final byte HOST = 1;
    static final byte CONNECTION = 2;
    static final byte KEEP_ALIVE = 3;
    static final byte PROXY_CONNECTION = 4;
    static final byte TE = 5;
    static final byte UPGRADE = 6;
    static final byte EXPECT = 7;
    static final byte CONTENT_LENGTH = 8;
    static final byte TRANSFER_ENCODING = 9;
    static final byte X_FORWARDED_FOR = 10;
    static final byte X_FORWARDED_PROTO = 11;
    static final byte X_FORWARDED_HOST = 12;
    static final byte VIA = 13;
    static final byte COOKIE = 14;
    static final byte X_SLIPWAY_VERSION = 15;

    // Results of transferCodings().
    static final int TE_CHUNKED = 1;
    static final int TE_CODINGS_THEN_CHUNKED = 2;
    static final int TE_NOT_CHUNKED = 3;
    static final int TE_INVALID = 4;

    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] HOST_CHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        for (char c = 0; c < 128; c++) {
            HOST_CHAR[c] = Character.isLetterOrDigit(c) || "-._~%!$&'()*+;=:[]".indexOf(c) >= 0;
        }
    }

    static boolean isToken(int c) {
        return TOKEN[c];
    }

    byte[] buf = new byte[INITIAL];
    /** Length of the head, including the empty line that ends it. */
    int length;
    /** Index of the CR ending the start line. */
    int startLineEnd;
    int count;
    int[] lineStart = new int[16];
    int[] nameEnd = new int[16];
    int[] valueStart = new int[16];
    int[] valueEnd = new int[16];
    /** Index of the CR ending each field line. */
    int[] lineEnd = new int[16];
    byte[] kind = new byte[16];
    /** Bounds of the token {@link #nextToken} found last (equal when the element was empty). */
    private int tokenStart;
    private int tokenEnd;

    /**
     * Looks for a complete head at the reader index of {@code in} (which is not moved). Returns its
     * length, 0 when more bytes are needed; throws when the bytes can never become a valid head.
     */
    int find(ByteBuf in) throws HttpException {
        int readable = in.readableBytes();
        int from = in.readerIndex();
        int copied = 0;
        int want = Math.min(readable, 1024);
        while (true) {
            if (buf.length < want) {
                byte[] bigger = new byte[Math.max(want, buf.length * 2)];
                System.arraycopy(buf, 0, bigger, 0, copied);
                buf = bigger;
            }
            in.getBytes(from + copied, buf, copied, want - copied);
            for (int i = Math.max(copied, 1); i < want; i++) {
                if (buf[i] == '\n') {
                    if (buf[i - 1] != '\r') {
                        throw new HttpException(400, "a line ends without CR");
                    }
                    if (i >= 3 && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                        length = i + 1;
                        return length;
                    }
                }
            }
            if (want >= MAX_HEAD) {
                throw new HttpException(431, "the header section is larger than " + MAX_HEAD / 1024 + " KiB");
            }
            if (want == readable) {
                return 0;
            }
            copied = want;
            want = Math.min(readable, Math.min(MAX_HEAD, want * 4));
        }
    }

    /**
     * Gives back a copy array grown for a large (or incomplete) head, so that thousands of idle
     * connections that once saw a 32 KiB head do not keep 32 KiB of heap each. Only between heads.
     */
    void shrink() {
        if (buf.length > INITIAL) {
            buf = new byte[INITIAL];
        }
    }

    /** Splits the head found by {@link #find} into the start line and fields. */
    void parseFields() throws HttpException {
        int i = 0;
        while (buf[i] != '\r') {
            i++;
        }
        if (buf[i + 1] != '\n') {
            // A lenient server may end the start line here and read what follows as a field.
            throw new HttpException(400, "a line ends with CR alone");
        }
        startLineEnd = i;
        i += 2;
        count = 0;
        int end = length - 2; // the final CRLF
        while (i < end) {
            byte first = buf[i];
            if (first == ' ' || first == '\t') {
                throw new HttpException(400, "obsolete line folding in the header section");
            }
            int ls = i;
            while (TOKEN[buf[i] & 0xff]) {
                i++;
            }
            if (i == ls || buf[i] != ':') {
                int j = i;
                while (buf[j] == ' ' || buf[j] == '\t') {
                    j++;
                }
                throw new HttpException(400, i > ls && j > i && buf[j] == ':' ? "whitespace before a colon in a header field"
                        : "invalid header field name");
            }
            int ne = i++;
            while (buf[i] == ' ' || buf[i] == '\t') {
                i++;
            }
            int vs = i;
            while (true) {
                int b = buf[i] & 0xff;
                if (b == '\r') {
                    break;
                }
                if ((b < 0x20 && b != '\t') || b == 0x7f) {
                    throw new HttpException(400, "control character in a header field value");
                }
                i++;
            }
            if (buf[i + 1] != '\n') {
                throw new HttpException(400, "a line ends with CR alone");
            }
            int le = i;
            int ve = le;
            while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
                ve--;
            }
            add(ls, ne, vs, ve, le);
            i = le + 2;
        }
    }

    private void add(int ls, int ne, int vs, int ve, int le) throws HttpException {
        if (count == lineStart.length) {
            if (count >= MAX_FIELDS) {
                throw new HttpException(431, "more than " + MAX_FIELDS + " header fields");
            }
            int n = count * 2;
            lineStart = java.util.Arrays.copyOf(lineStart, n);
            nameEnd = java.util.Arrays.copyOf(nameEnd, n);
            valueStart = java.util.Arrays.copyOf(valueStart, n);
            valueEnd = java.util.Arrays.copyOf(valueEnd, n);
            lineEnd = java.util.Arrays.copyOf(lineEnd, n);
            kind = java.util.Arrays.copyOf(kind, n);
        }
        lineStart[count] = ls;
        nameEnd[count] = ne;
        valueStart[count] = vs;
        valueEnd[count] = ve;
        lineEnd[count] = le;
        kind[count] = kindOf(ls, ne);
        count++;
    }

    private byte kindOf(int s, int e) {
        return switch (e - s) {
            case 2 -> is(s, e, "te") ? TE : OTHER;
            case 3 -> is(s, e, "via") ? VIA : OTHER;
            case 4 -> is(s, e, "host") ? HOST : OTHER;
            case 6 -> is(s, e, "cookie") ? COOKIE : is(s, e, "expect") ? EXPECT : OTHER;
            case 7 -> is(s, e, "upgrade") ? UPGRADE : OTHER;
            case 10 -> is(s, e, "connection") ? CONNECTION : is(s, e, "keep-alive") ? KEEP_ALIVE : OTHER;
            case 14 -> is(s, e, "content-length") ? CONTENT_LENGTH : OTHER;
            case 15 -> is(s, e, "x-forwarded-for") ? X_FORWARDED_FOR : OTHER;
            case 16 -> is(s, e, "proxy-connection") ? PROXY_CONNECTION : is(s, e, "x-forwarded-host") ? X_FORWARDED_HOST : OTHER;
            case 17 -> is(s, e, "transfer-encoding") ? TRANSFER_ENCODING : is(s, e, "x-forwarded-proto") ? X_FORWARDED_PROTO
                    : is(s, e, "x-slipway-version") ? X_SLIPWAY_VERSION : OTHER;
            default -> OTHER;
        };
    }

    /** Whether buf[s, e) equals the lower-case ASCII {@code lower}, ignoring case. */
    boolean is(int s, int e, String lower) {
        if (e - s != lower.length()) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            int b = buf[s + k];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    boolean nameIs(int field, String lower) {
        return is(lineStart[field], nameEnd[field], lower);
    }

    String value(int field) {
        return new String(buf, valueStart[field], valueEnd[field] - valueStart[field], StandardCharsets.ISO_8859_1);
    }

    /** Whether a comma-separated field value has the token, ignoring case (Connection: keep-alive, Upgrade). */
    boolean hasToken(int field, String lower) {
        for (int i = valueStart[field], end = valueEnd[field]; i < end; ) {
            i = nextToken(i, end);
            if (tokenEnd > tokenStart && is(tokenStart, tokenEnd, lower)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a comma-separated field value has a token other than close, keep-alive and upgrade. */
    boolean hasOtherConnectionToken(int field) {
        for (int i = valueStart[field], end = valueEnd[field]; i < end; ) {
            i = nextToken(i, end);
            int s = tokenStart;
            int e = tokenEnd;
            if (e > s && !is(s, e, "close") && !is(s, e, "keep-alive") && !is(s, e, "upgrade")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds the next element of a comma-separated field value from {@code i} (before {@code end}),
     * trimmed of spaces and tabs, into {@link #tokenStart} and {@link #tokenEnd}; returns where the walk
     * goes on (at the comma after it, or {@code end}). Fields, not a record: it runs per request.
     */
    private int nextToken(int i, int end) {
        while (i < end && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == ',')) {
            i++;
        }
        tokenStart = i;
        while (i < end && buf[i] != ',') {
            i++;
        }
        int e = i;
        while (e > tokenStart && (buf[e - 1] == ' ' || buf[e - 1] == '\t')) {
            e--;
        }
        tokenEnd = e;
        return i;
    }

    /**
     * The transfer codings of all Transfer-Encoding fields, in order (RFC 9112 6.1): {@link #TE_CHUNKED}
     * when chunked is the only one, {@link #TE_CODINGS_THEN_CHUNKED} when it is last after others,
     * {@link #TE_NOT_CHUNKED} when it is absent, {@link #TE_INVALID} when it is given twice, is not last,
     * or no coding is named at all: framings that different servers read differently.
     */
    int transferCodings() {
        int codings = 0;
        int chunked = 0;
        boolean lastIsChunked = false;
        for (int f = 0; f < count; f++) {
            if (kind[f] != TRANSFER_ENCODING) {
                continue;
            }
            for (int i = valueStart[f], end = valueEnd[f]; i < end; ) {
                i = nextToken(i, end);
                if (tokenEnd > tokenStart) {
                    codings++;
                    lastIsChunked = is(tokenStart, tokenEnd, "chunked");
                    if (lastIsChunked) {
                        chunked++;
                    }
                }
            }
        }
        if (codings == 0 || chunked > 1 || (chunked == 1 && !lastIsChunked)) {
            return TE_INVALID;
        }
        return chunked == 0 ? TE_NOT_CHUNKED : codings == 1 ? TE_CHUNKED : TE_CODINGS_THEN_CHUNKED;
    }

    /** Whether a field value is digits only (a Content-Length that can be forwarded as it is). */
    boolean plainNumber(int field) {
        int s = valueStart[field];
        int e = valueEnd[field];
        for (int i = s; i < e; i++) {
            if (buf[i] < '0' || buf[i] > '9') {
                return false;
            }
        }
        return e > s;
    }

    /**
     * Whether a Host value is a uri-host with an optional port (RFC 3986 reg-name, IPv4 or IP-literal),
     * but without a comma: some servers read "a, b" as two hosts.
     */
    boolean validHost(int field) {
        for (int i = valueStart[field]; i < valueEnd[field]; i++) {
            if (!HOST_CHAR[buf[i] & 0xff]) {
                return false;
            }
        }
        return true;
    }

    /** Writes a non-negative number in decimal, without a String. */
    static void writeDecimal(ByteBuf out, long v) {
        long div = 1;
        while (div <= v / 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            out.writeByte((int) ('0' + v / div % 10));
        }
    }

    /** A non-negative decimal Content-Length; -1 when it is not one. Identical repeats ("5, 5") count as one. */
    long contentLength(int field) {
        long result = -1;
        int i = valueStart[field];
        int end = valueEnd[field];
        while (i <= end) {
            while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
                i++;
            }
            long v = 0;
            int digits = 0;
            while (i < end && buf[i] >= '0' && buf[i] <= '9') {
                if (++digits > 18) {
                    return -1;
                }
                v = v * 10 + (buf[i++] - '0');
            }
            while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
                i++;
            }
            if (digits == 0 || (result >= 0 && v != result) || (i < end && buf[i] != ',')) {
                return -1;
            }
            result = v;
            i++;
        }
        return result;
    }

    /** Writes the whole line of a field, CRLF included, to {@code out}. */
    void writeLine(int field, ByteBuf out) {
        out.writeBytes(buf, lineStart[field], lineEnd[field] + 2 - lineStart[field]);
    }

    void writeValue(int field, ByteBuf out) {
        out.writeBytes(buf, valueStart[field], valueEnd[field] - valueStart[field]);
    }
}
