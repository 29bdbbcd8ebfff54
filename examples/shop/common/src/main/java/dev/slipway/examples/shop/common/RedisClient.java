package dev.slipway.examples.shop.common;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal Redis client speaking RESP over one connection: AUTH, SELECT, PING, LPUSH, BRPOP.
 *
 * <p>Thread-safe: commands are serialised on the single connection, which suits the services'
 * short commands. A blocking command (BRPOP) holds the connection for its whole wait, so a
 * caller that also needs quick commands meanwhile should use a second client. The connection is
 * opened lazily and reopened after any I/O failure, so the client recovers when Redis restarts.
 */
public final class RedisClient implements AutoCloseable {

  private final RedisUrl url;
  private final int timeoutMillis;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Socket socket;
  private InputStream in;
  private OutputStream out;
  private volatile boolean closed;

  /**
   * A client for the given Redis; nothing is connected until the first command.
   *
   * @param timeout bound on connecting and on waiting for each reply (beyond a BRPOP's own wait)
   */
  public RedisClient(RedisUrl url, Duration timeout) {
    this.url = url;
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
  }

  /** Checks that Redis answers; throws when it does not. */
  public void ping() throws IOException {
    Object reply = call(0, "PING");
    if (!"PONG".equals(reply)) {
      throw new RedisException("unexpected reply to PING: " + reply);
    }
  }

  /** Pushes a value onto the head of a list; returns the list's new length. */
  public long lpush(String key, String value) throws IOException {
    return (Long) call(0, "LPUSH", key, value);
  }

  /**
   * Pops a value from the tail of a list, waiting up to {@code seconds} for one to arrive.
   *
   * @return the value, or null when none arrived in time
   */
  public String brpop(String key, int seconds) throws IOException {
    Object reply = call(seconds * 1000, "BRPOP", key, Integer.toString(seconds));
    // Reply: [key, value], or a null array on timeout.
    return reply == null ? null : (String) ((List<?>) reply).get(1);
  }

  /** Closes the connection, also unblocking a command waiting in another thread. */
  @Override
  public void close() {
    closed = true;
    disconnect();
  }

  /**
   * Sends one command and reads its reply. A failure on a connection that was already open is
   * retried once on a fresh one: after Redis restarts, the first write to the old socket often
   * "succeeds" and only the read fails. Repeating LPUSH or BRPOP at worst pushes an id twice or
   * loses one, and the services tolerate both (processing is idempotent; a sweep finds lost ids).
   */
  private Object call(int extraWaitMillis, String... args) throws IOException {
    lock.lock();
    try {
      boolean reused = socket != null;
      try {
        return send(extraWaitMillis, args);
      } catch (RedisException e) {
        throw e; // Redis answered: the connection is fine, the command is not.
      } catch (IOException e) {
        disconnect();
        if (!reused || closed) {
          throw e;
        }
        return send(extraWaitMillis, args);
      }
    } finally {
      lock.unlock();
    }
  }

  private Object send(int extraWaitMillis, String... args) throws IOException {
    if (closed) {
      throw new IOException("Redis client is closed");
    }
    // A local: close() may null the field from another thread at any time.
    Socket s = socket;
    if (s == null) {
      s = connect();
    }
    s.setSoTimeout(timeoutMillis + extraWaitMillis);
    write(args);
    return read();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(url.host(), url.port()), timeoutMillis);
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      if (url.tls()) {
        s = ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(s, url.host(), url.port(), true);
      }
      s.setSoTimeout(timeoutMillis);
      socket = s;
      in = new BufferedInputStream(s.getInputStream());
      out = new BufferedOutputStream(s.getOutputStream());
      if (url.password() != null) {
        // One-argument AUTH works on every Redis version and means the "default" user on 6+.
        boolean defaultUser = url.user() == null || url.user().equals("default");
        write(defaultUser ? new String[] {"AUTH", url.password()}
            : new String[] {"AUTH", url.user(), url.password()});
        read();
      }
      if (url.database() != 0) {
        write("SELECT", Integer.toString(url.database()));
        read();
      }
      return s;
    } catch (IOException e) {
      // Also on an AUTH/SELECT error: a half-set-up connection must not be reused.
      disconnect();
      s.close();
      throw e;
    }
  }

  private void disconnect() {
    Socket s = socket;
    socket = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private void write(String... args) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
    buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      buf.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buf.writeBytes(bytes);
      buf.writeBytes(new byte[] {'\r', '\n'});
    }
    buf.writeTo(out);
    out.flush();
  }

  /** Reads one RESP reply: String, Long, List, or null; error replies throw. */
  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("Redis closed the connection");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new RedisException(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] data = in.readNBytes(length + 2); // + CRLF
        if (data.length != length + 2) {
          throw new EOFException("Redis closed the connection mid-reply");
        }
        return new String(data, 0, length, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      }
      default:
        throw new IOException("not a RESP reply (type byte " + type + ")");
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("Redis closed the connection mid-reply");
      }
      if (c == '\r') {
        in.read(); // the '\n'
        return line.toString();
      }
      line.append((char) c);
    }
  }
}
