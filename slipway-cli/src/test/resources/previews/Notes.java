import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A tiny service on PostgreSQL for PreviewsIT: {@code GET /} says its version, {@code POST /notes?n=X}
 * stores a note, {@code GET /notes} lists them, one a line.
 */
public class Notes {
  public static void main(String[] args) throws Exception {
    String version = System.getenv().getOrDefault("APP_VERSION", "dev");
    try (Connection c = connect()) {
      c.createStatement().execute("create table if not exists notes (text varchar(200))");
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 64);
    server.createContext("/health", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.createContext("/notes", ex -> {
      StringBuilder body = new StringBuilder();
      int status = 200;
      try (Connection c = connect()) {
        if (ex.getRequestMethod().equals("POST")) {
          var insert = c.prepareStatement("insert into notes values (?)");
          insert.setString(1, ex.getRequestURI().getQuery().substring(2));
          insert.executeUpdate();
        }
        try (ResultSet rs = c.createStatement().executeQuery("select text from notes order by text")) {
          while (rs.next()) {
            body.append(rs.getString(1)).append('\n');
          }
        }
      } catch (SQLException e) {
        status = 500;
        body.append(e.getMessage());
      }
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        ex.getResponseBody().write(bytes);
      }
      ex.close();
    });
    server.createContext("/", ex -> {
      byte[] body = ("notes " + version + "\n").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    server.start();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(System.getenv("DATABASE_URL"), System.getenv("DATABASE_USER"),
        System.getenv("DATABASE_PASSWORD"));
  }
}
