import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * A service whose readiness a test switches from outside: {@code /health/ready} answers 503 while
 * the file {@code unready/PORT} exists (relative to the working directory), 200 otherwise. Every
 * other path says which version answered.
 */
public class Flappy {
  public static void main(String[] args) throws Exception {
    String version = System.getenv().getOrDefault("APP_VERSION", "dev");
    String port = System.getenv("PORT");
    Path unready = Path.of("unready", port);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 128);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/health/", ex -> {
      ex.sendResponseHeaders(Files.exists(unready) ? 503 : 200, -1);
      ex.close();
    });
    server.createContext("/", ex -> {
      byte[] body = ("hello from " + version + "\n").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
    server.start();
    System.out.println("flappy " + version + " listening on " + port);
  }
}
