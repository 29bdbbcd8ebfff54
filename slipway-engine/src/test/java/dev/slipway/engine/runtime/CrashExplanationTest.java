package dev.slipway.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrashExplanationTest {

  @Test
  void springBootStartupFailure_isExplainedByTheDeepestCause_notByTheOmittedFramesAtTheEnd() throws IOException {
    CrashExplanation e = CrashExplanation.of(fixture("spring-boot-postgres.log"));

    assertThat(e.cause()).isEqualTo("org.postgresql.util.PSQLException: FATAL: password authentication failed for user \"app\"");
    assertThat(e.lines()).first().asString().endsWith("o.s.boot.SpringApplication               : Application run failed");
    assertThat(e.lines().get(1)).startsWith("org.springframework.beans.factory.UnsatisfiedDependencyException: Error creating")
        .hasSize(CrashExplanation.MAX_WIDTH).endsWith("…");
    assertThat(e.lines().subList(2, e.lines().size())).extracting(l -> l.length() > 60 ? l.substring(0, 60) : l)
        .containsExactly(
            "Caused by: org.springframework.beans.factory.BeanCreationExc",
            "Caused by: org.springframework.beans.factory.BeanCreationExc",
            "Caused by: jakarta.persistence.PersistenceException: [Persis",
            "Caused by: org.hibernate.exception.JDBCConnectionException: ",
            "Caused by: org.postgresql.util.PSQLException: FATAL: passwor",
            "\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentic");
    assertThat(String.join("\n", e.lines())).doesNotContain("common frames omitted", "HikariPool-1 - Exception during",
        "Stopping service");
  }

  @Test
  void plainUncaughtJavaException_showsTheExceptionAndWhereTheApplicationThrewIt() throws IOException {
    CrashExplanation e = CrashExplanation.of(fixture("java-uncaught.log"));

    assertThat(e.cause()).isEqualTo("java.lang.NumberFormatException: For input string: \"${PORT}\"");
    assertThat(e.lines()).containsExactly(
        "Exception in thread \"main\" java.lang.NumberFormatException: For input string: \"${PORT}\"",
        "\tat java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)",
        "\tat com.example.api.Server.port(Server.java:41)");
  }

  @Test
  void pythonTraceback_showsTheFrameThatRaisedAndTheExceptionLine() throws IOException {
    CrashExplanation e = CrashExplanation.of(fixture("python-traceback.log"));

    assertThat(e.cause()).isEqualTo("psycopg2.OperationalError: connection to server at \"127.0.0.1\", port 41001 failed: "
        + "FATAL:  password authentication failed for user \"app\"");
    assertThat(e.lines()).containsExactly(
        "Traceback (most recent call last):",
        "  File \"/usr/lib/python3/dist-packages/psycopg2/__init__.py\", line 122, in connect",
        "    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)",
        e.cause());
  }

  @Test
  void goPanic_showsThePanicAndTheFirstFunctionOfTheCrashedGoroutine() throws IOException {
    CrashExplanation e = CrashExplanation.of(fixture("go-panic.log"));

    assertThat(e.cause()).isEqualTo("panic: pq: password authentication failed for user \"app\"");
    assertThat(e.lines()).containsExactly(
        "panic: pq: password authentication failed for user \"app\"",
        "goroutine 1 [running]:",
        "main.mustOpen({0xc00001c0c0, 0x3a})",
        "\t/src/api/main.go:31 +0x1a5");
  }

  @Test
  void processThatPrintsNothing_saysSo() {
    CrashExplanation e = CrashExplanation.of(List.of(
        "--- slipway: starting api-r2-1 (attempt 1) at 2026-06-01T10:15:29Z",
        "Exception in thread \"main\" java.lang.IllegalStateException: an older run's failure",
        "--- slipway: api-r2-1 exited with code 1 at 2026-06-01T10:15:30Z",
        "--- slipway: starting api-r2-1 (attempt 2) at 2026-06-01T10:15:31Z",
        "",
        "--- slipway: api-r2-1 exited with code 137 at 2026-06-01T10:15:32Z"));

    assertThat(e.cause()).isNull();
    assertThat(e.lines()).isEmpty();
    assertThat(e.summary()).isEqualTo("it printed nothing");
    assertThat(CrashExplanation.of(List.of()).summary()).isEqualTo("it printed nothing");
  }

  @Test
  void outputWithoutAnyErrorLine_showsWhatWasPrintedLast() {
    List<String> log = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      log.add("step " + i + " done");
    }

    CrashExplanation e = CrashExplanation.of(log);

    assertThat(e.cause()).isNull();
    assertThat(e.lines()).hasSize(8).endsWith("step 20 done");
    assertThat(e.summary()).isEqualTo("its last output: step 20 done");
  }

  @Test
  void errorLogLines_withoutATrace_areTheExplanation() {
    CrashExplanation e = CrashExplanation.of(List.of(
        "2026-06-01 10:15:30.001 UTC [4242] LOG:  starting PostgreSQL 16.3",
        "2026-06-01 10:15:30.002 UTC [4242] FATAL:  could not create lock file \"/run/postgresql/.s.PGSQL.5432.lock\": Permission denied",
        "2026-06-01 10:15:30.003 UTC [4242] LOG:  database system is shut down"));

    assertThat(e.cause()).isEqualTo("2026-06-01 10:15:30.002 UTC [4242] FATAL:  could not create lock file "
        + "\"/run/postgresql/.s.PGSQL.5432.lock\": Permission denied");
    assertThat(e.lines()).containsExactly(e.cause());
  }

  @Test
  void aVeryLongCauseChain_isBounded_keepingWhatFailedAndTheDeepestCauses() {
    List<String> log = new ArrayList<>(List.of("Exception in thread \"main\" java.lang.RuntimeException: level 0",
        "\tat App.main(App.java:1)"));
    for (int i = 1; i <= 20; i++) {
      log.add("Caused by: java.lang.RuntimeException: level " + i + " " + "x".repeat(500));
      log.add("\tat App.level" + i + "(App.java:" + i + ")");
      log.add("\t... " + i + " more");
    }

    CrashExplanation e = CrashExplanation.of(log);

    assertThat(e.lines()).hasSize(CrashExplanation.MAX_LINES);
    assertThat(e.lines().getFirst()).isEqualTo(log.getFirst());
    assertThat(e.lines().get(1)).isEqualTo("\t… (11 more lines)");
    assertThat(e.lines().get(e.lines().size() - 2)).startsWith("Caused by: java.lang.RuntimeException: level 20 xxx");
    assertThat(e.lines().getLast()).isEqualTo("\tat App.level20(App.java:20)");
    assertThat(e.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(CrashExplanation.MAX_WIDTH));
    assertThat(e.cause()).startsWith("java.lang.RuntimeException: level 20 ").hasSize(CrashExplanation.MAX_WIDTH);
  }

  @Test
  void colourCodes_areStripped() {
    CrashExplanation e = CrashExplanation.of(List.of("\u001B[31mERROR\u001B[0m cannot bind 0.0.0.0:8080"));

    assertThat(e.cause()).isEqualTo("ERROR cannot bind 0.0.0.0:8080");
  }

  private static List<String> fixture(String name) throws IOException {
    try (InputStream in = CrashExplanationTest.class.getResourceAsStream("/crash/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
