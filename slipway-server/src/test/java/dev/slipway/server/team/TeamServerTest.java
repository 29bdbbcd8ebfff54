package dev.slipway.server.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.server.ApiError;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The team server's routing and error shape, on a real socket, with one known token and no store. */
class TeamServerTest {
  private static final String TOKEN = "slw_test-token";
  private TeamServer server;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    TeamLedger ledger = (TeamLedger) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TeamLedger.class},
        (proxy, method, args) -> {
          if (method.getName().equals("callerByTokenHash")) {
            return args[0].equals(Tokens.hash(TOKEN)) ? Optional.of(new Caller("carol", List.of("viewer")))
                : Optional.empty();
          }
          throw new UnsupportedOperationException(method.getName());
        });
    TeamRoutes routes = r -> {
      r.get("/api/v1/team/things/{name}/parts/{part}", q -> TeamResponse.ok(List.of(q.param("name"), q.param("part"),
          q.caller().name())));
      r.post("/api/v1/team/things/{name}/parts/{part}", q -> TeamResponse.noContent());
      r.delete("/api/v1/team/things/{name}", q -> {
        throw ApiError.conflict("busy", "Busy", "thing " + q.param("name") + " is busy");
      });
    };
    server = new TeamServer(ledger, List.of(routes));
    InetSocketAddress bound = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    base = URI.create("http://127.0.0.1:" + bound.getPort());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void pathParameters_areDecoded_andTheCallerIsTheTokensUser() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/team/things/a%20b%2Fx/parts/c+d");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[\"a b/x\",\"c+d\",\"carol\"]");
  }

  @Test
  void aKnownPathWithAnotherMethod_is405NamingTheMethodsItTakes() throws Exception {
    HttpResponse<String> r = send("PUT", "/api/v1/team/things/a/parts/c");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.body()).contains("\"type\":\"method-not-allowed\"").contains("use GET or POST, not PUT");
  }

  @Test
  void anUnknownPath_is404_evenWithoutAToken_andAnEmptyAnswerIs204() throws Exception {
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/team/nothing")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"type\":\"unknown-path\"");
    assertThat(send("POST", "/api/v1/team/things/a/parts/c").statusCode()).isEqualTo(204);
  }

  @Test
  void aHandlersApiError_isRenderedInTheOneErrorShape() throws Exception {
    HttpResponse<String> r = send("DELETE", "/api/v1/team/things/x");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).isEqualTo("{\"title\":\"Busy\",\"status\":409,\"type\":\"busy\",\"details\":[\"thing x is busy\"]}");
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + TOKEN)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
