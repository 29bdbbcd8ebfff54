package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceSpec.Provider;
import dev.slipway.model.BackingServiceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersIT {

  @TempDir
  Path base;
  private final SecretMasker masker = new SecretMasker();
  private LocalTarget target;

  @BeforeEach
  void setUp() {
    target = new LocalTarget("shop", base, base.resolve(".slipway"), masker);
  }

  @AfterEach
  void noProcessLeftBehind() throws Exception {
    target.close();
    Procs.assertNothingLeft(base);
  }

  private static BackingServiceSpec spec(String name, BackingServiceType type, Provider provider) {
    return new BackingServiceSpec(name, type, null, provider, null, null, null);
  }

  @Test
  void localPostgres_fromTheInstalledPackage_startsAndServesTheAppUser() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/postgres")), "PostgreSQL 15 installed");
    long t0 = System.nanoTime();
    BackingService db = target.startBackingService(spec("db", BackingServiceType.POSTGRES, Provider.LOCAL), null);
    System.out.printf("local postgres start (initdb): %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(ProcStat.read(db.pid()).orElseThrow().comm()).isEqualTo("postgres");
    assertThat(db.endpoint()).containsEntry("username", "shop").containsEntry("database", "shop");
    try (Connection c = EmbeddedPostgresIT.connectAsApp(db)) {
      assertThat(EmbeddedPostgresIT.queryOne(c, "SHOW server_version")).startsWith("15.");
    }
  }

  @Test
  void localRedis_whenNotInstalled_saysSoAndSuggestsEmbedded() {
    assumeTrue(Executables.onPath("redis-server") == null, "redis-server is not installed here");

    assertThatThrownBy(() -> target.startBackingService(spec("cache", BackingServiceType.REDIS, Provider.LOCAL), null))
        .isInstanceOfSatisfying(TargetException.class, e -> {
          assertThat(e.getMessage()).contains("redis-server is not installed");
          assertThat(e.hint()).contains("provider: embedded");
        });
  }

  @Test
  void docker_withoutARunningEngine_failsWithAHint() {
    assumeTrue(!DockerCli.engineRunning(), "no Docker engine here");

    assertThatThrownBy(() -> target.startBackingService(spec("db", BackingServiceType.POSTGRES, Provider.DOCKER), null))
        .isInstanceOfSatisfying(TargetException.class, e -> {
          assertThat(e.getMessage()).contains("no Docker engine is running");
          assertThat(e.hint()).contains("start Docker").contains("provider: embedded");
        });
  }

  @Test
  void external_postgresUrl_givesItsAttributesAndARealHealthCheck() throws Exception {
    BackingService real = target.startBackingService(EmbeddedPostgresIT.DB, null);
    String url = real.endpoint().get("url");

    BackingService ext = target.startBackingService(spec("ext", BackingServiceType.POSTGRES, Provider.EXTERNAL), url);

    assertThat(ext.endpoint()).isEqualTo(real.endpoint());
    assertThat(ext.pid()).isEqualTo(-1);
    assertThat(ext.healthy()).isTrue();
    String wrong = url.replace(real.endpoint().get("password"), "wrong-password");
    BackingService bad = target.startBackingService(spec("bad", BackingServiceType.POSTGRES, Provider.EXTERNAL), wrong);
    assertThat(bad.healthy()).isFalse();
    assertThat(masker.mask(wrong)).doesNotContain("wrong-password");
    real.stop(Duration.ofSeconds(10));
    assertThat(ext.healthy()).isFalse();
  }

  @Test
  void external_redisUrl_isHealthyOnlyWithTheRightPassword() throws Exception {
    BackingService real = target.startBackingService(EmbeddedRedisIT.CACHE, null);
    String port = real.endpoint().get("port");

    BackingService good = target.startBackingService(spec("ext", BackingServiceType.REDIS, Provider.EXTERNAL),
        "redis://:" + real.endpoint().get("password") + "@127.0.0.1:" + port);
    BackingService bad = target.startBackingService(spec("bad", BackingServiceType.REDIS, Provider.EXTERNAL),
        "redis://:nope-nope@127.0.0.1:" + port);

    assertThat(good.healthy()).isTrue();
    assertThat(bad.healthy()).isFalse();
  }

  @Test
  void external_withoutUrl_asksForOne() {
    assertThatThrownBy(() -> target.startBackingService(spec("db", BackingServiceType.POSTGRES, Provider.EXTERNAL), null))
        .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.hint())
            .contains("resources.db.url").contains("postgresql://"));
  }

  @Test
  void embeddedPrometheus_isNotOffered_andTheErrorSaysWhatToUse() {
    assertThatThrownBy(() -> target.startBackingService(spec("metrics", BackingServiceType.PROMETHEUS,
        Provider.EMBEDDED), null))
        .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.hint()).contains("provider: external"));
  }
}
