import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

/** A tiny service for API tests: ready at once, prints its token (which Slipway must mask). */
public class Echo {
  public static void main(String[] args) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 0);
    s.createContext("/", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    s.start();
    System.out.println("echo up; token=" + System.getenv("TOKEN"));
    for (int i = 0; ; i++) {
      Thread.sleep(200);
      System.out.println("tick " + i);
    }
  }
}
