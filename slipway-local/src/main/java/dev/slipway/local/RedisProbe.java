package dev.slipway.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/** Just enough RESP to authenticate and PING a Redis server, without a client library. */
final class RedisProbe {

  private RedisProbe() {}

  /** Whether {@code AUTH} (when a password is given) answers {@code +OK} and {@code PING} {@code +PONG}. */
  static boolean healthy(String host, int port, String user, String password, boolean tls, Duration timeout) {
    List<List<String>> commands = new ArrayList<>();
    if (password != null) {
      commands.add(user == null ? List.of("AUTH", password) : List.of("AUTH", user, password));
    }
    commands.add(List.of("PING"));
    try {
      List<String> replies = send(host, port, tls, timeout, commands);
      return replies.getLast().equals("+PONG") && (password == null || replies.getFirst().equals("+OK"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends the commands in order and returns the first line of each reply ({@code +OK}, {@code -NOAUTH ...}). */
  static List<String> send(String host, int port, boolean tls, Duration timeout, List<List<String>> commands)
      throws IOException {
    int ms = (int) timeout.toMillis();
    try (Socket s = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
      s.connect(new InetSocketAddress(host, port), ms);
      s.setSoTimeout(ms);
      OutputStream out = s.getOutputStream();
      InputStream in = new BufferedInputStream(s.getInputStream());
      List<String> replies = new ArrayList<>();
      for (List<String> cmd : commands) {
        out.write(encode(cmd));
        out.flush();
        replies.add(readLine(in));
      }
      return replies;
    }
  }

  static byte[] encode(List<String> cmd) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + cmd.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : cmd) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(bytes);
      b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    return b.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new EOFException("connection closed");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
