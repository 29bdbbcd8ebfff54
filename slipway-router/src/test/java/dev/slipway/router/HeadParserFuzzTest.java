package dev.slipway.router;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the bytes, the head parser, the request and response readers and the chunk walker fail only
 * with their own {@link HttpException}; and what the router would send on for a head it accepts reads
 * back, by the same parser, with the same meaning (method, target, framing, length, status): the
 * normalised head has one reading.
 *
 * <p>In the normal build these run in regression mode over the kept inputs in
 * {@code src/test/resources/dev/slipway/router/HeadParserFuzzTestInputs/<method>/}. To fuzz, see
 * docs/router.md ("Fuzzing the parser"); keep any crashing input there once fixed.
 */
class HeadParserFuzzTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @FuzzTest(maxDuration = "10s")
    void requestHead_whenArbitraryBytes_failsOnlyWithHttpException_andItsUpstreamHeadReadsTheSame(byte[] input) {
        RequestHead first = request(input);
        if (first == null) {
            return;
        }
        try {
            byte[] upstream = bytes(first.upstream);
            if (upstream.length > HeadParser.MAX_HEAD - 1024 || ascii(upstream).split("\r\n", -1).length > 250) {
                return; // the forwarding fields may push a head near the limit over it: not a question of meaning
            }
            RequestHead again = request(upstream);
            assertThat(again).as("the head the router sends on must parse: %s", ascii(upstream)).isNotNull();
            try {
                assertThat(again.method).isEqualTo(first.method);
                assertThat(again.framing).isEqualTo(first.framing);
                assertThat(again.contentLength).isEqualTo(first.contentLength);
                assertThat(again.http10).as("always HTTP/1.1 upstream").isFalse();
                assertThat(again.expectContinue).as("Expect is answered by the router").isFalse();
                assertThat(again.upgrade).isEqualTo(first.upgrade);
                assertThat(target(upstream)).isEqualTo(target(input));
                // Normalised: a second pass changes nothing that frames the message.
                byte[] twice = bytes(again.upstream);
                assertThat(framingLines(twice)).isEqualTo(framingLines(upstream));
                again.upstream = null;
            } finally {
                if (again.upstream != null) {
                    again.upstream.release();
                }
            }
        } finally {
            first.upstream = null;
        }
    }

    @FuzzTest(maxDuration = "10s")
    void responseHead_whenArbitraryBytes_failsOnlyWithHttpException_andWhatTheClientGetsReadsTheSame(byte[] input) {
        HeadParser p = new HeadParser();
        ResponseHead r = response(p, input);
        if (r == null) {
            return;
        }
        ByteBuf written = ResponseHead.write(p, r, "r1".getBytes(), 0, ALLOC);
        byte[] out = bytes(written);
        if (out.length > HeadParser.MAX_HEAD - 1024 || p.count > 250) {
            return; // the version field may push a head near a limit over it
        }
        HeadParser p2 = new HeadParser();
        ResponseHead again = response(p2, out);
        assertThat(again).as("the head the client gets must parse: %s", ascii(out)).isNotNull();
        assertThat(again.status).isEqualTo(r.status);
        assertThat(again.framing).isEqualTo(r.framing);
        assertThat(again.contentLength).isEqualTo(r.contentLength);
        assertThat(again.transferEncoding && again.firstLength >= 0).as("never both Content-Length and Transfer-Encoding")
                .isFalse();
    }

    @FuzzTest(maxDuration = "10s")
    void chunkedBody_whenArbitraryBytes_failsOnlyWithHttpException_andReadsTheSameHoweverItIsSplit(byte[] input) {
        // Bytes arrive in pieces: where the body ends, or that it is refused, must not depend on the split.
        String whole = walk(input, input.length);
        assertThat(walk(input, input.length / 2)).isEqualTo(whole);
        assertThat(walk(input, 1)).isEqualTo(whole);
    }

    /** Feeds the chunk walker {@code step} bytes at a time: "refused", "done at N" or "open". */
    private static String walk(byte[] input, int step) {
        BodyFraming f = new BodyFraming();
        f.reset(BodyFraming.Mode.CHUNKED, 0);
        ByteBuf in = Unpooled.buffer(input.length);
        try {
            int pos = 0;
            int took = 0;
            while (!f.done && pos < input.length) {
                int n = Math.max(1, Math.min(step, input.length - pos));
                in.writeBytes(input, pos, n);
                pos += n;
                int c = f.consume(in);
                assertThat(c).isBetween(0, in.readableBytes());
                in.skipBytes(c);
                took += c;
            }
            return f.done ? "done at " + took : "open";
        } catch (HttpException refused) {
            return "refused";
        } finally {
            in.release();
        }
    }

    /** Parses a request head; null when refused (HttpException) or incomplete. Any other exception fails the test. */
    private static RequestHead request(byte[] input) {
        HeadParser p = new HeadParser();
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            int len = p.find(in);
            if (len == 0) {
                return null;
            }
            assertThat(len).isBetween(1, input.length);
            p.parseFields();
            return RequestHead.parse(p, "127.0.0.1", "x-user", "session", ALLOC);
        } catch (HttpException refused) {
            assertThat(refused.status).isBetween(400, 599);
            return null;
        } finally {
            in.release();
        }
    }

    private static ResponseHead response(HeadParser p, byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            if (p.find(in) == 0) {
                return null;
            }
            p.parseFields();
            return ResponseHead.parse(p, false);
        } catch (HttpException refused) {
            return null;
        } finally {
            in.release();
        }
    }

    /** The readable bytes of {@code b}, which is released. */
    private static byte[] bytes(ByteBuf b) {
        try {
            byte[] out = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), out);
            return out;
        } finally {
            b.release();
        }
    }

    /** The request target: between the first two spaces of the first line that is not empty. */
    private static String target(byte[] head) {
        String s = ascii(head).stripLeading();
        int sp1 = s.indexOf(' ');
        return s.substring(sp1 + 1, s.indexOf(' ', sp1 + 1));
    }

    /** The Content-Length, Transfer-Encoding and Host lines, lower-cased, in order. */
    private static String framingLines(byte[] head) {
        StringBuilder sb = new StringBuilder();
        for (String line : ascii(head).split("\r\n")) {
            String l = line.toLowerCase(java.util.Locale.ROOT);
            if (l.startsWith("content-length:") || l.startsWith("transfer-encoding:") || l.startsWith("host:")) {
                sb.append(l).append('\n');
            }
        }
        return sb.toString();
    }

    private static String ascii(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
