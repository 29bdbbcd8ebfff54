import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/** A tiny service for rollout tests: says which version it is; FAULT_ERROR_RATE makes a share of answers 500. */
public class Hello {
  public static void main(String[] args) throws Exception {
    String version = System.getenv().getOrDefault("APP_VERSION", "dev");
    double errorRate = Double.parseDouble(System.getenv().getOrDefault("FAULT_ERROR_RATE", "0"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 128);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/health/", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.createContext("/", ex -> {
      boolean fail = ThreadLocalRandom.current().nextDouble() < errorRate;
      byte[] body = ("hello from " + version + "\n").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(fail ? 500 : 200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
    server.start();
    System.out.println("hello " + version + " listening on " + System.getenv("PORT"));
  }
}
