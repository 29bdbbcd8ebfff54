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
    private static final int SIZE_EXT = 1;
    private static final int SIZE_LF = 2;
    private static final int DATA = 3;
    private static final int DATA_CR = 4;
    private static final int DATA_LF = 5;
    private static final int TRAILER_START = 6;
    private static final int TRAILER_LINE = 7;
    private static final int TRAILER_LF = 8;
    private static final int END_LF = 9;

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
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        state = SIZE_EXT;
                        lineLength = 0;
                    } else if (b == '\r') {
                        state = SIZE_LF;
                    } else {
                        throw new HttpException(400, "invalid chunk size");
                    }
                }
                case SIZE_EXT -> {
                    if (b == '\r') {
                        state = SIZE_LF;
                    } else if (b == '\n' || ++lineLength > MAX_LINE) {
                        throw new HttpException(400, "invalid chunk extension");
                    }
                }
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
                    } else {
                        state = TRAILER_LINE;
                        countTrailer();
                    }
                }
                case TRAILER_LINE -> {
                    if (b == '\r') {
                        state = TRAILER_LF;
                    } else if (b == '\n') {
                        throw new HttpException(400, "a trailer line ends without CR");
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

    private void countTrailer() throws HttpException {
        if (++trailerBytes > MAX_TRAILERS) {
            throw new HttpException(431, "trailer section larger than " + MAX_TRAILERS / 1024 + " KiB");
        }
    }
}
