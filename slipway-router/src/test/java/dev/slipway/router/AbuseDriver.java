package dev.slipway.router;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Thousands of hostile client connections driven from one thread and one selector: clients that
 * trickle a request head and never finish it, clients that ask for a large response and stop
 * reading it, clients that upgrade to WebSocket and then say nothing. While {@link #hold} lasts, a
 * connection the router cuts is replaced by a new one, so the pressure stays. Records, per kind,
 * how many connections the router cut and after how long.
 */
final class AbuseDriver implements AutoCloseable {
    enum Kind { TRICKLE, SLOW_READER, TUNNEL }

    /** What happened to the connections of one kind. */
    static final class Stats {
        int opened;
        int connectFailures;
        /** Closed by the router (EOF or reset), as the limits should. */
        int cut;
        /** Closed by the router with an answer of this status first (408, 503), by status. */
        final Map<Integer, Integer> answers = new java.util.TreeMap<>();
        /** The shortest life of a connection cut with each answer. */
        final Map<Integer, Long> answerMinLifetimeMs = new java.util.TreeMap<>();
        long minLifetimeMs = Long.MAX_VALUE;
        long maxLifetimeMs;
        /** Tunnels that never got their 101; slow readers that got the whole response after all. */
        int wrong;
        /** How the cuts showed: end of stream, a reset on read, an error on write. */
        int eof;
        int reset;
        int writeError;
        /** Left open when the driver stopped: the router did not cut them. */
        int survived;
        /** The survivors by the status of the response they had begun to get (0: none). */
        final Map<Integer, Integer> survivorStatuses = new java.util.TreeMap<>();

        @Override
        public String toString() {
            return "opened " + opened + ", cut " + cut + " after " + (cut == 0 ? "-" : minLifetimeMs + ".." + maxLifetimeMs)
                    + " ms (eof " + eof + ", reset " + reset + ", write error " + writeError + "), answers " + answers + " (shortest lives " + answerMinLifetimeMs + " ms), connect failures " + connectFailures + ", wrong " + wrong
                    + ", survived " + survived + (survived == 0 ? "" : " " + survivorStatuses);
        }
    }

    private final class Conn {
        final Kind kind;
        final SocketChannel ch;
        final long openedAt = System.nanoTime();
        boolean connected;
        int padLinesSent;
        long nextWriteAt;
        boolean upgraded;
        boolean reading;
        /** When a slow reader saw the response begin, or its last burst of reading ended (then it stalls again). */
        long firstByteAt;
        /** How much the slow reader got in its current burst of reading. */
        long burstBytes;
        long received;
        int status;
        final StringBuilder head = new StringBuilder();

        Conn(Kind kind, SocketChannel ch) {
            this.kind = kind;
            this.ch = ch;
        }
    }

    /**
     * The most a slow reader reads in one go after a stall: more than a cut connection can still have
     * in flight before its end (the router's socket send buffer, at most net.ipv4.tcp_wmem's 4 MiB by
     * default), far less than a large response. No time bound: a loaded driver may take seconds to
     * reach the end of a cut connection, and missing it would count the cut as a survivor.
     */
    private static final long BURST_BYTES = 5L << 20;

    private final InetSocketAddress target;
    private final Map<Kind, Integer> wanted = new EnumMap<>(Kind.class);
    private final Map<Kind, Stats> stats = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> live = new EnumMap<>(Kind.class);
    private final Set<Conn> conns = new HashSet<>();
    private final Selector selector;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);
    private final long slowReaderStallNanos;
    private final long bigResponseBytes;
    private final Thread thread;
    private volatile boolean holding = true;
    private volatile boolean stop;
    private volatile Throwable failure;

    /**
     * @param slowReaderStallMillis how long a slow reader reads nothing once its response began; then it
     *                              reads a burst (at most 5 MiB) to see whether the router cut it
     *                              (EOF before the whole response) and, if not, stalls that long again
     */
    AbuseDriver(InetSocketAddress target, int trickle, int slowReaders, int tunnels, long bigResponseBytes,
                long slowReaderStallMillis) throws IOException {
        this.target = target;
        this.bigResponseBytes = bigResponseBytes;
        this.slowReaderStallNanos = TimeUnit.MILLISECONDS.toNanos(slowReaderStallMillis);
        wanted.put(Kind.TRICKLE, trickle);
        wanted.put(Kind.SLOW_READER, slowReaders);
        wanted.put(Kind.TUNNEL, tunnels);
        for (Kind k : Kind.values()) {
            stats.put(k, new Stats());
            live.put(k, 0);
        }
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "abuse-driver");
        thread.setDaemon(true);
        thread.start();
    }

    int live(Kind k) {
        return live.get(k); // racy read, for progress output only
    }

    /** No more new connections; the open ones stay until the router cuts them. */
    void stopHolding() {
        holding = false;
    }

    /** Waits until the router cut every connection (or the timeout passed), then stops; the stats. */
    Map<Kind, Stats> finish(long timeoutMillis) throws InterruptedException {
        holding = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline && live.values().stream().mapToInt(Integer::intValue).sum() > 0) {
            Thread.sleep(100);
        }
        stop = true;
        thread.join(10_000);
        if (failure != null) {
            throw new AssertionError("the abuse driver failed", failure);
        }
        return stats;
    }

    @Override
    public void close() throws IOException {
        stop = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
    }

    private void run() {
        try {
            long nextTick = 0;
            while (!stop) {
                selector.select(20);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isConnectable()) {
                        finishConnect(c, key);
                    } else if (key.isReadable()) {
                        read(c);
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    nextTick = now + TimeUnit.MILLISECONDS.toNanos(100);
                    tick(now);
                }
            }
            for (Conn c : new ArrayList<>(conns)) {
                stats.get(c.kind).survived++;
                stats.get(c.kind).survivorStatuses.merge(c.status, 1, Integer::sum);
                closeQuietly(c);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void tick(long now) throws IOException {
        if (holding) {
            // Opened in batches, so the router's accept backlog never overflows into SYN retries; each
            // kind has its own share, so the churn of one kind does not starve the others.
            for (Kind k : Kind.values()) {
                int budget = 150;
                while (budget > 0 && live.get(k) < wanted.get(k)) {
                    open(k);
                    budget--;
                }
            }
        }
        for (Conn c : new ArrayList<>(conns)) {
            if (!c.connected) {
                continue;
            }
            if (c.kind == Kind.TRICKLE && now - c.nextWriteAt >= 0 && c.padLinesSent < 20) {
                // 1 KiB of an endless header section per second, up to 20 KiB.
                write(c, "X-Pad-" + c.padLinesSent + ": " + "a".repeat(1000) + "\r\n");
                c.padLinesSent++;
                c.nextWriteAt = now + TimeUnit.SECONDS.toNanos(1);
            } else if (c.kind == Kind.SLOW_READER && !c.reading && c.firstByteAt != 0
                    && now - c.firstByteAt > slowReaderStallNanos) {
                c.reading = true;
                c.burstBytes = 0;
                c.ch.keyFor(selector).interestOps(SelectionKey.OP_READ);
            }
        }
    }

    private void open(Kind k) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        if (k == Kind.SLOW_READER) {
            // A small window: the response piles up in the router, not in this socket.
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        }
        Conn c = new Conn(k, ch);
        conns.add(c);
        live.merge(k, 1, Integer::sum);
        stats.get(k).opened++;
        try {
            if (ch.connect(target)) {
                connected(c, ch.register(selector, 0, c));
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            stats.get(k).connectFailures++;
            closeQuietly(c);
        }
    }

    private void finishConnect(Conn c, SelectionKey key) {
        try {
            c.ch.finishConnect();
            connected(c, key);
        } catch (IOException e) {
            stats.get(c.kind).connectFailures++;
            closeQuietly(c);
        }
    }

    private void connected(Conn c, SelectionKey key) {
        c.connected = true;
        switch (c.kind) {
            case TRICKLE -> {
                write(c, "GET /trickle HTTP/1.1\r\nHost: limits.test\r\n");
                c.nextWriteAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                key.interestOps(SelectionKey.OP_READ);
            }
            case SLOW_READER -> {
                write(c, "GET /big?bytes=" + bigResponseBytes + " HTTP/1.1\r\nHost: limits.test\r\n\r\n");
                key.interestOps(SelectionKey.OP_READ);
            }
            case TUNNEL -> {
                write(c, "GET /ws HTTP/1.1\r\nHost: limits.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
                key.interestOps(SelectionKey.OP_READ);
            }
        }
    }

    private void write(Conn c, String s) {
        try {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
            c.ch.write(b);
            // A full socket buffer here means the router stopped reading: what is not sent is dropped.
        } catch (IOException e) {
            stats.get(c.kind).writeError++;
            routerClosed(c);
        }
    }

    private void read(Conn c) {
        int n;
        try {
            scratch.clear();
            if (c.kind == Kind.SLOW_READER && !c.reading) {
                // The response has begun: read a little of it, then nothing until the stall is over.
                scratch.limit(1024);
                c.firstByteAt = System.nanoTime();
                c.ch.keyFor(selector).interestOps(0);
            }
            n = c.ch.read(scratch);
        } catch (IOException reset) {
            stats.get(c.kind).reset++;
            routerClosed(c);
            return;
        }
        if (n < 0) {
            stats.get(c.kind).eof++;
            routerClosed(c);
            return;
        }
        c.received += n;
        if (c.reading) {
            c.burstBytes += n;
            if (c.burstBytes >= BURST_BYTES) {
                stallAgain(c, System.nanoTime());
            }
        }
        if (c.head.length() < 64) {
            scratch.flip();
            while (scratch.hasRemaining() && c.head.length() < 64) {
                c.head.append((char) scratch.get());
            }
            String h = c.head.toString();
            if (c.status == 0 && h.length() >= 12 && h.startsWith("HTTP/1.1 ")) {
                c.status = Integer.parseInt(h.substring(9, 12));
                if (c.kind == Kind.TUNNEL && c.status == 101) {
                    c.upgraded = true;
                }
            }
        }
    }

    /**
     * A burst of reading did not end in the router's cut: the reader stalls again rather than read on.
     * The router's client-write clock starts only once its buffer for the client is full, which a
     * loaded backend may fill long after the response began, so a stall counted from the first byte
     * can end before the router ever saw one. Read on, such a reader would get the whole response
     * and then sit in keep-alive, uncut; stalling again, it stays the slow reader it is meant to be.
     * A burst is long enough to take what a cut connection still had in flight and its end.
     * (So the large response must be well over three bursts.)
     */
    private void stallAgain(Conn c, long now) {
        c.reading = false;
        c.firstByteAt = now;
        c.ch.keyFor(selector).interestOps(0);
    }

    private void routerClosed(Conn c) {
        Stats s = stats.get(c.kind);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c.openedAt);
        s.cut++;
        s.minLifetimeMs = Math.min(s.minLifetimeMs, ms);
        s.maxLifetimeMs = Math.max(s.maxLifetimeMs, ms);
        if (c.status != 0 && c.kind == Kind.TRICKLE) {
            s.answers.merge(c.status, 1, Integer::sum);
            s.answerMinLifetimeMs.merge(c.status, ms, Math::min);
        }
        if ((c.kind == Kind.TUNNEL && !c.upgraded) || (c.kind == Kind.SLOW_READER && c.received >= bigResponseBytes)) {
            s.wrong++;
        }
        closeQuietly(c);
    }

    private void closeQuietly(Conn c) {
        if (conns.remove(c)) {
            live.merge(c.kind, -1, Integer::sum);
        }
        try {
            c.ch.close();
        } catch (IOException ignored) {
            // closing a socket the router already closed
        }
    }

    static List<String> describe(Map<Kind, Stats> stats) {
        List<String> lines = new ArrayList<>();
        stats.forEach((k, s) -> lines.add(k + ": " + s));
        return lines;
    }
}
