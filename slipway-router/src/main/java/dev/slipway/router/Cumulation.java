package dev.slipway.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The bytes read from one connection and not yet passed on. Usually a read holds whole messages
 * and the read buffer itself is used (no copy); only a message split across reads is merged.
 * Parts handed on are retained slices, so a buffer is appended to only while nobody else holds it.
 */
final class Cumulation {
    ByteBuf buf;

    void add(ByteBufAllocator alloc, ByteBuf in) {
        if (buf == null) {
            buf = in;
            return;
        }
        int n = in.readableBytes();
        if (buf.refCnt() == 1 && buf.writableBytes() >= n) {
            buf.writeBytes(in);
            in.release();
            return;
        }
        ByteBuf merged = alloc.buffer(buf.readableBytes() + n);
        merged.writeBytes(buf).writeBytes(in);
        buf.release();
        in.release();
        buf = merged;
    }

    boolean isReadable() {
        return buf != null && buf.isReadable();
    }

    int readableBytes() {
        return buf == null ? 0 : buf.readableBytes();
    }

    /**
     * The next {@code n} bytes as a buffer of their own (the caller releases it). When they are all
     * that is left, that is the buffer itself and nothing is sliced.
     */
    ByteBuf take(int n) {
        if (n == buf.readableBytes()) {
            ByteBuf all = buf;
            buf = null;
            return all;
        }
        ByteBuf part = buf.retainedSlice(buf.readerIndex(), n);
        buf.skipBytes(n);
        return part;
    }

    void skip(int n) {
        buf.skipBytes(n);
    }

    /** Drops the buffer once everything in it was passed on. */
    void trim() {
        if (buf != null && !buf.isReadable()) {
            buf.release();
            buf = null;
        }
    }

    void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
