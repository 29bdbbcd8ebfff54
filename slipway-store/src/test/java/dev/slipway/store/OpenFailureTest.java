package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a store that cannot be had says why and what to do, and never shows a password. */
class OpenFailureTest {
  @TempDir
  Path stateDir;

  @Test
  void open_ofAnUnreachablePostgres_failsFastNamingTheUrlWithoutItsPassword() throws Exception {
    int port = closedPort();
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/slipway";

    long start = System.nanoTime();
    assertThatThrownBy(() -> StateStore.open(url + "?user=deploy&password=hunter2secret", stateDir))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("cannot reach the state store at " + url + "?user=deploy&password=**** (connection refused);"
            + " check --store and that PostgreSQL is running")
        .satisfies(e -> assertThat(((StoreException) e).hint()).isEqualTo("check --store and that PostgreSQL is running"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void open_withThePasswordInTheAuthority_neverShowsIt() throws Exception {
    int port = closedPort();

    assertThatThrownBy(() -> StateStore.open("jdbc:postgresql://deploy:hunter2secret@127.0.0.1:" + port + "/slipway", stateDir))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot reach the state store at jdbc:postgresql://deploy:****@127.0.0.1:" + port + "/slipway")
        .satisfies(e -> assertThat(deepText(e)).doesNotContain("hunter2secret"));
  }

  @Test
  void open_ofAnH2StoreInAFileInsteadOfADirectory_failsSayingWhere() throws Exception {
    Path file = stateDir.resolve("not-a-dir");
    java.nio.file.Files.writeString(file, "x");

    assertThatThrownBy(() -> StateStore.open(null, file))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot create the state directory " + file.resolve("state"))
        .hasMessageEndingWith("check that the directory is writable");
  }

  /** Every message in the cause chain, suppressed ones included. */
  static String deepText(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      text.append(c).append('\n');
      for (Throwable s : c.getSuppressed()) {
        text.append(deepText(s));
      }
    }
    return text.toString();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
