import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;

/**
 * The worst-behaved service for SecretMarkerIT: prints every environment variable it was given
 * (secrets included) to its own output, then answers 200 on every path.
 */
public class Leaky {
  public static void main(String[] args) throws Exception {
    for (Map.Entry<String, String> e : new TreeMap<>(System.getenv()).entrySet()) {
      System.out.println("env " + e.getKey() + "=" + e.getValue());
    }
    System.out.flush();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 64);
    server.createContext("/", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    server.start();
  }
}
