package dev.slipway.router;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;

/**
 * A JDK HttpServer backend for large and chunked bodies, never holding a whole body:
 * {@code POST /upload} answers "bytes crc32" of what it read; {@code GET /download?bytes=N} sends N
 * bytes of {@link #pattern} chunked; {@code POST /echo} streams the request body back, chunked.
 */
final class StreamingBackend implements AutoCloseable {
    private final HttpServer server;

    StreamingBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/upload", this::upload);
        server.createContext("/download", this::download);
        server.createContext("/echo", this::echo);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void upload(HttpExchange ex) throws IOException {
        CRC32 crc = new CRC32();
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = ex.getRequestBody()) {
            for (int r; (r = in.read(buf)) > 0; ) {
                crc.update(buf, 0, r);
                n += r;
            }
        }
        byte[] body = (n + " " + crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        ex.getResponseHeaders().set("Transfer-Encoding-Seen", String.valueOf(ex.getRequestHeaders().getFirst("Transfer-Encoding")));
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void download(HttpExchange ex) throws IOException {
        long bytes = Long.parseLong(ex.getRequestURI().getQuery().substring("bytes=".length()));
        ex.sendResponseHeaders(200, 0); // chunked
        try (OutputStream out = ex.getResponseBody(); InputStream in = pattern(bytes)) {
            in.transferTo(out);
        }
    }

    private void echo(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        try (InputStream in = ex.getRequestBody(); OutputStream out = ex.getResponseBody()) {
            in.transferTo(out);
        }
    }

    /** N deterministic, not trivially compressible bytes, generated on the fly. */
    static InputStream pattern(long n) {
        return new InputStream() {
            long i;

            @Override
            public int read() {
                return i < n ? (int) ((i * 2654435761L ^ (i++ >>> 13)) & 0xff) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= n) {
                    return -1;
                }
                int k = (int) Math.min(len, n - i);
                for (int j = 0; j < k; j++) {
                    b[off + j] = (byte) ((i * 2654435761L ^ (i >>> 13)) & 0xff);
                    i++;
                }
                return k;
            }
        };
    }

    static long crcOf(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        for (int r; (r = in.read(buf)) > 0; ) {
            crc.update(buf, 0, r);
        }
        return crc.getValue();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
