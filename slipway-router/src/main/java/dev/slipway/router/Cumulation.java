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
        // Room to grow: a message trickling in a few bytes per read is then copied a few times, not once per read.
        int need = buf.readableBytes() + n;
        ByteBuf merged = alloc.buffer(need + Math.min(need, 16 * 1024));
        merged.writeBytes(buf).writeBytes(in);
        buf.release();
        in.release();
        buf = merged;
    }

    /**
     * Moves the bytes into a buffer of about their size when the one holding them is mostly empty
     * (a read buffer sized for a large read that brought a few bytes): what waits should cost its size.
     */
    void compact(ByteBufAllocator alloc) {
        int n = buf.readableBytes();
        if (buf.capacity() > 2 * n + 1024 && buf.refCnt() == 1) {
            ByteBuf small = alloc.buffer(n + Math.min(n, 4096));
            small.writeBytes(buf);
            buf.release();
            buf = small;
        }
    }

    /** True when an empty line (CRLF CRLF) ends at or after {@code from} bytes past the reader index. */
    boolean hasHeadEnd(int from) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        for (int i = start + from; i < end; ) {
            int lf = buf.indexOf(i, end, (byte) '\n');
            if (lf < 0) {
                return false;
            }
            if (lf - 3 >= start && buf.getByte(lf - 1) == '\r' && buf.getByte(lf - 2) == '\n' && buf.getByte(lf - 3) == '\r') {
                return true;
            }
            i = lf + 1;
        }
        return false;
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
