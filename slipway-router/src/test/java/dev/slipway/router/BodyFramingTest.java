package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BodyFramingTest {
    private static final String CHUNKED = "5;ext=1\r\nhello\r\n1A\r\n abcdefghijklmnopqrstuvwxy\r\n0\r\nX-Trailer: t\r\n\r\n";

    /** Feeds {@code raw} in pieces of {@code step} bytes; returns how many bytes the body took. */
    private static int feed(BodyFraming f, String raw, int step, ByteArrayOutputStream data) throws HttpException {
        int taken = 0;
        ByteBuf in = Unpooled.buffer();
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        int pos = 0;
        while (!f.done && pos < bytes.length) {
            int n = Math.min(step, bytes.length - pos);
            in.writeBytes(bytes, pos, n);
            pos += n;
            if (data != null) {
                f.dataSink = (buf, index, length) -> {
                    byte[] d = new byte[length];
                    buf.getBytes(index, d);
                    data.writeBytes(d);
                };
            }
            int c = f.consume(in);
            in.skipBytes(c);
            taken += c;
        }
        in.release();
        return taken;
    }

    @Test
    void chunked_findsTheExactEnd_howeverTheBytesAreSplit() throws Exception {
        String raw = CHUNKED + "GET /next";
        for (int step : new int[]{1, 2, 3, 7, 64, 1000}) {
            BodyFraming f = new BodyFraming();
            f.reset(BodyFraming.Mode.CHUNKED, 0);
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            assertThat(feed(f, raw, step, data)).as("step " + step).isEqualTo(CHUNKED.length());
            assertThat(f.done).isTrue();
            assertThat(data.toString(StandardCharsets.ISO_8859_1)).isEqualTo("hello abcdefghijklmnopqrstuvwxy");
        }
    }

    @Test
    void length_takesExactlyThatMany() throws Exception {
        BodyFraming f = new BodyFraming();
        f.reset(BodyFraming.Mode.LENGTH, 10);
        assertThat(feed(f, "0123456789GET /", 4, null)).isEqualTo(10);
        assertThat(f.done).isTrue();
        f.reset(BodyFraming.Mode.LENGTH, 0);
        assertThat(f.done).isTrue();
    }

    @Test
    void brokenChunkFraming_isRefused() {
        for (String raw : new String[]{"x\r\n", "5\r\nhelloX\r\n", "5\nhello\r\n", "-1\r\n", "1234567890abcdef0\r\n",
                "0\r\nX: y\n\r\n", "3\r\nabc\r\n0\r\n\rX", "5 \r\n", " 5\r\n", "5;\r\n", "5;a=\r\n", "5;a=\"x\r\n",
                "5;a\u0000\r\n", "5;a b\r\n", "5;a=b \r\n", "5;a=\"x\"y\r\n", "0\r\n X: y\r\n\r\n", "0\r\nX : y\r\n\r\n",
                "0\r\nX: a\u0000\r\n\r\n", "0\r\nGET / HTTP/1.1\r\n\r\n"}) {
            BodyFraming f = new BodyFraming();
            f.reset(BodyFraming.Mode.CHUNKED, 0);
            assertThatThrownBy(() -> feed(f, raw, 100, null)).as(raw).isInstanceOf(HttpException.class);
        }
    }

    @Test
    void chunkExtensions_followTheGrammar_bwsAndQuotedStringsIncluded() throws Exception {
        String raw = "5 ; a = b ;c=\"q \\\" d\";e\r\nhello\r\n0;z=\"\"\r\nX-T: 1\r\n\r\n";
        for (int step : new int[]{1, 5, 1000}) {
            BodyFraming f = new BodyFraming();
            f.reset(BodyFraming.Mode.CHUNKED, 0);
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            assertThat(feed(f, raw, step, data)).isEqualTo(raw.length());
            assertThat(f.done).isTrue();
            assertThat(data.toString(StandardCharsets.ISO_8859_1)).isEqualTo("hello");
        }
    }
}
