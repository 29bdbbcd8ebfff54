package dev.slipway.router;

import io.netty.buffer.ByteBuf;

/**
 * Where a message body ends (RFC 9112 6): a known length, chunked, or the connection closing. The
 * bytes are passed on unchanged, chunk framing included; this only walks the framing to know where
 * the message stops (so the next one on the connection can start) and rejects broken framing.
 *
 * <p>{@link #consume} returns how many of the readable bytes belong to the body; when a chunked
 * body's data is wanted without its framing (for an HTTP/1.0 client), {@link #dataSink} receives
 * each data range.
 */
final class BodyFraming {
    enum Mode { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    /** Receives the data ranges of a chunked body, as absolute indexes into the buffer. */
    interface DataSink {
        void data(ByteBuf buf, int index, int length);
    }

    private static final int MAX_LINE = 4096;
    private static final int MAX_TRAILERS = 32 * 1024;

    private static final int SIZE = 0;
    private static final int SIZE_LF = 2;
    private static final int DATA = 3;
    private static final int DATA_CR = 4;
    private static final int DATA_LF = 5;
    private static final int TRAILER_START = 6;
    private static final int TRAILER_LINE = 7;
    private static final int TRAILER_LF = 8;
    private static final int END_LF = 9;
    // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-val = token / quoted-string (RFC 9112 7.1.1)
    private static final int EXT_BEFORE_SEMI = 10;
    private static final int EXT_NAME_START = 11;
    private static final int EXT_NAME = 12;
    private static final int EXT_VALUE_START = 13;
    private static final int EXT_TOKEN = 14;
    private static final int EXT_QUOTED = 15;
    private static final int EXT_QUOTED_PAIR = 16;
    private static final int EXT_AFTER_NAME = 17;
    private static final int EXT_AFTER_QUOTE = 18;
    private static final int TRAILER_VALUE = 19;

    Mode mode = Mode.NONE;
    private long remaining;
    private int state;
    private int digits;
    private int lineLength;
    private int trailerBytes;
    boolean done;
    DataSink dataSink;

    void reset(Mode m, long length) {
        mode = m;
        remaining = length;
        state = SIZE;
        digits = 0;
        lineLength = 0;
        trailerBytes = 0;
        done = m == Mode.NONE || (m == Mode.LENGTH && length == 0);
        dataSink = null;
    }

    /**
     * How many bytes from the reader index on belong to this body (the reader index is not moved);
     * sets {@link #done} when the body ends within them.
     */
    int consume(ByteBuf in) throws HttpException {
        int readable = in.readableBytes();
        switch (mode) {
            case NONE:
                return 0;
            case UNTIL_CLOSE:
                return readable;
            case LENGTH: {
                int n = (int) Math.min(remaining, readable);
                remaining -= n;
                done = remaining == 0;
                return n;
            }
            default:
                return chunked(in, in.readerIndex(), in.readerIndex() + readable) - in.readerIndex();
        }
    }

    private int chunked(ByteBuf in, int from, int to) throws HttpException {
        int i = from;
        while (i < to && !done) {
            if (state == DATA) {
                int n = (int) Math.min(remaining, to - i);
                if (dataSink != null && n > 0) {
                    dataSink.data(in, i, n);
                }
                remaining -= n;
                i += n;
                if (remaining == 0) {
                    state = DATA_CR;
                }
                continue;
            }
            byte b = in.getByte(i++);
            switch (state) {
                case SIZE -> {
                    int d = Character.digit(b, 16);
                    if (d >= 0) {
                        if (++digits > 15) {
                            throw new HttpException(400, "chunk size too large");
                        }
                        remaining = remaining << 4 | d;
                    } else if (digits == 0) {
                        throw new HttpException(400, "invalid chunk size");
                    } else if (b == ';') {
                        state = EXT_NAME_START;
                        lineLength = 0;
                    } else if (b == ' ' || b == '\t') {
                        state = EXT_BEFORE_SEMI;
                        lineLength = 0;
                    } else if (b == '\r') {
                        state = SIZE_LF;
                    } else {
                        throw new HttpException(400, "invalid chunk size");
                    }
                }
                case EXT_BEFORE_SEMI, EXT_NAME_START, EXT_NAME, EXT_AFTER_NAME, EXT_VALUE_START, EXT_TOKEN, EXT_QUOTED,
                     EXT_QUOTED_PAIR, EXT_AFTER_QUOTE -> extension(b);
                case SIZE_LF -> {
                    if (b != '\n') {
                        throw new HttpException(400, "chunk size line not ended by CRLF");
                    }
                    digits = 0;
                    if (remaining == 0) {
                        state = TRAILER_START;
                    } else {
                        state = DATA;
                    }
                }
                case DATA_CR -> {
                    if (b != '\r') {
                        throw new HttpException(400, "chunk data not followed by CRLF");
                    }
                    state = DATA_LF;
                }
                case DATA_LF -> {
                    if (b != '\n') {
                        throw new HttpException(400, "chunk data not followed by CRLF");
                    }
                    state = SIZE;
                    remaining = 0;
                }
                case TRAILER_START -> {
                    if (b == '\r') {
                        state = END_LF;
                    } else if (token(b)) {
                        state = TRAILER_LINE;
                        countTrailer();
                    } else {
                        throw new HttpException(400, "invalid trailer field");
                    }
                }
                case TRAILER_LINE -> {
                    // The field name, up to its colon.
                    if (b == ':') {
                        state = TRAILER_VALUE;
                    } else if (!token(b)) {
                        throw new HttpException(400, "invalid trailer field name");
                    }
                    countTrailer();
                }
                case TRAILER_VALUE -> {
                    if (b == '\r') {
                        state = TRAILER_LF;
                    } else if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
                        throw new HttpException(400, b == '\n' ? "a trailer line ends without CR" : "control character in a trailer");
                    }
                    countTrailer();
                }
                case TRAILER_LF -> {
                    if (b != '\n') {
                        throw new HttpException(400, "a trailer line ends with CR alone");
                    }
                    state = TRAILER_START;
                }
                case END_LF -> {
                    if (b != '\n') {
                        throw new HttpException(400, "chunked body not ended by CRLF");
                    }
                    done = true;
                }
                default -> throw new IllegalStateException("chunk parser state " + state);
            }
        }
        return i;
    }

    /** One byte of a chunk extension; strict, so that every server reads the same chunk size. */
    private void extension(byte b) throws HttpException {
        if (++lineLength > MAX_LINE) {
            throw new HttpException(400, "chunk extension too long");
        }
        int c = b & 0xff;
        boolean ws = c == ' ' || c == '\t';
        int next = switch (state) {
            case EXT_BEFORE_SEMI -> c == ';' ? EXT_NAME_START : ws ? state : -1;
            case EXT_NAME_START -> token(b) ? EXT_NAME : ws ? state : -1;
            case EXT_NAME -> token(b) ? state : c == '=' ? EXT_VALUE_START : c == ';' ? EXT_NAME_START
                    : c == '\r' ? SIZE_LF : ws ? EXT_AFTER_NAME : -1;
            case EXT_AFTER_NAME -> c == '=' ? EXT_VALUE_START : c == ';' ? EXT_NAME_START : ws ? state : -1;
            case EXT_VALUE_START -> c == '"' ? EXT_QUOTED : token(b) ? EXT_TOKEN : ws ? state : -1;
            case EXT_TOKEN -> token(b) ? state : c == ';' ? EXT_NAME_START : c == '\r' ? SIZE_LF : ws ? EXT_BEFORE_SEMI : -1;
            case EXT_QUOTED -> c == '"' ? EXT_AFTER_QUOTE : c == '\\' ? EXT_QUOTED_PAIR
                    : ws || (c >= 0x21 && c != 0x7f) ? state : -1;
            case EXT_QUOTED_PAIR -> ws || (c >= 0x21 && c != 0x7f) ? EXT_QUOTED : -1;
            case EXT_AFTER_QUOTE -> c == ';' ? EXT_NAME_START : c == '\r' ? SIZE_LF : ws ? EXT_BEFORE_SEMI : -1;
            default -> throw new IllegalStateException("chunk parser state " + state);
        };
        if (next < 0) {
            throw new HttpException(400, "invalid chunk extension");
        }
        state = next;
    }

    private static boolean token(byte b) {
        return HeadParser.isToken(b & 0xff);
    }

    private void countTrailer() throws HttpException {
        if (++trailerBytes > MAX_TRAILERS) {
            throw new HttpException(431, "trailer section larger than " + MAX_TRAILERS / 1024 + " KiB");
        }
    }
}
