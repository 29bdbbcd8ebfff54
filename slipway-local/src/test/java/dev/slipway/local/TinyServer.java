package dev.slipway.local;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A service instance for tests: answers every request with {@code <INSTANCE_ID> <APP_VERSION>} on
 * 127.0.0.1:$PORT, until killed.
 */
public final class TinyServer {

  private TinyServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv("PORT"));
    byte[] body = (System.getenv("INSTANCE_ID") + " " + System.getenv("APP_VERSION") + "\n")
        .getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.createContext("/", x -> {
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
    System.out.println("listening on " + port);
  }

  /** The shell command that runs it from this JVM's class path, small and quick to start. */
  static String command() {
    return "exec " + RouterProcess.javaBinary() + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx32m"
        + " -cp '" + System.getProperty("java.class.path") + "' " + TinyServer.class.getName();
  }
}
