package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceSpec.Provider;
import dev.slipway.model.BackingServiceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisIT {

  static final BackingServiceSpec CACHE =
      new BackingServiceSpec("cache", BackingServiceType.REDIS, null, Provider.EMBEDDED, null, null, null);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir
  Path base;
  private LocalTarget target;

  @BeforeEach
  void setUp() {
    target = new LocalTarget("shop", base, base.resolve(".slipway"), new SecretMasker());
  }

  @AfterEach
  void noProcessLeftBehind() throws Exception {
    target.close();
    Procs.assertNothingLeft(base);
  }

  @Test
  void ping_withThePassword_answersPong_andWithoutItIsRefused() throws Exception {
    long t0 = System.nanoTime();
    BackingService cache = target.startBackingService(CACHE, null);
    System.out.printf("embedded redis start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    int port = Integer.parseInt(cache.endpoint().get("port"));
    String password = cache.endpoint().get("password");

    assertThat(cache.endpoint()).containsEntry("url", "redis://default:" + password + "@127.0.0.1:" + port)
        .containsEntry("username", "default");
    assertThat(RedisProbe.send("127.0.0.1", port, false, TIMEOUT,
        List.of(List.of("AUTH", "default", password), List.of("PING")))).containsExactly("+OK", "+PONG");
    assertThat(RedisProbe.send("127.0.0.1", port, false, TIMEOUT, List.of(List.of("PING"))).getFirst())
        .startsWith("-NOAUTH");
    assertThat(cache.healthy()).isTrue();
  }

  @Test
  void password_isInAPrivateConfigFileNotOnTheCommandLine() throws Exception {
    BackingService cache = target.startBackingService(CACHE, null);
    String password = cache.endpoint().get("password");

    String cmdline = Files.readString(Path.of("/proc", Long.toString(cache.pid()), "cmdline"));
    Path conf = base.resolve(".slipway/data/cache/redis.conf");

    assertThat(cmdline).doesNotContain(password);
    assertThat(Files.readString(conf)).contains(password);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rw-------");
  }

  @Test
  void data_survivesStopAndStart() throws Exception {
    BackingService cache = target.startBackingService(CACHE, null);
    int port = Integer.parseInt(cache.endpoint().get("port"));
    List<String> auth = List.of("AUTH", "default", cache.endpoint().get("password"));
    assertThat(RedisProbe.send("127.0.0.1", port, false, TIMEOUT, List.of(auth, List.of("SET", "cart:1", "kayak"))))
        .containsExactly("+OK", "+OK");
    cache.stop(Duration.ofSeconds(10));
    assertThat(Procs.under(base)).isEmpty();

    BackingService again = target.startBackingService(CACHE, null);

    assertThat(again.endpoint()).isEqualTo(cache.endpoint());
    assertThat(RedisProbe.send("127.0.0.1", port, false, TIMEOUT, List.of(auth, List.of("EXISTS", "cart:1"))))
        .containsExactly("+OK", ":1");
  }
}
