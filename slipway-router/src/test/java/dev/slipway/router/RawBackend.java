package dev.slipway.router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on plain sockets, for behaviour no well-behaved server shows: closing a connection
 * right after reading a request, without answering. Each connection runs {@link Script} on a
 * virtual thread.
 */
final class RawBackend implements AutoCloseable {
    /**
     * The raw response to the n-th request (0-based) on a connection, or null to close the
     * connection without a byte. A response containing "Connection: close", or less than a whole
     * head, is followed by a close.
     */
    interface Script {
        String respond(int requestOnConnection);
    }

    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\nok\n";

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    private final ServerSocket server;
    private final Thread acceptor;

    RawBackend(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s, script));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Socket s, Script script) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int n = 0; ; n++) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                int length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.readNBytes(length);
                requests.incrementAndGet();
                String response = script.respond(n);
                if (response == null) {
                    return; // close without a byte of response
                }
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (response.contains("Connection: close") || !response.contains("\r\n\r\n")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the router closed the connection
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while ((b = in.read()) >= 0) {
            buf.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) ? state + 1 : (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                return buf.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
