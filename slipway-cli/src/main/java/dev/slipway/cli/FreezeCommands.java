package dev.slipway.cli;

import dev.slipway.api.team.FreezeRequest;
import dev.slipway.api.team.FreezeView;
import dev.slipway.api.team.TeamPaths;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slipway freeze ENV --until T --reason R} and {@code slipway unfreeze ENV} (admin). */
final class FreezeCommands {
  private FreezeCommands() {}

  /** {@code T}: an ISO-8601 instant ({@code 2026-12-24T00:00:00Z}) or a duration from now ({@code 2h}). */
  static Instant until(String value, Clock clock) {
    String v = value.strip();
    try {
      return Instant.parse(v);
    } catch (DateTimeException notAnInstant) {
      // a duration, then
    }
    try {
      Duration d = dev.slipway.model.Durations.parseArgument(v);
      if (!d.isZero() && !d.isNegative()) {
        return clock.instant().plus(d);
      }
    } catch (RuntimeException notADuration) {
      // said below
    }
    throw new CliException(2, "--until `" + value + "` is neither an instant nor a duration",
        "give an ISO-8601 instant in UTC like 2026-12-24T00:00:00Z, or a duration from now like 2h or 72h");
  }

  /** {@code slipway freeze}. */
  @Command(name = "freeze", description = "Refuse deploys and promotions into an environment until a time (admin; an admin may override, recorded).")
  static final class Freeze implements Callable<Integer> {
    @Parameters(paramLabel = "ENV")
    String env;
    @Option(names = "--until", paramLabel = "T", required = true,
        description = "An ISO-8601 instant (2026-12-24T00:00:00Z) or a duration from now (2h).")
    String until;
    @Option(names = "--reason", paramLabel = "R", required = true, description = "Why, shown to whoever is refused.")
    String reason;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Instant end = until(until, Clock.systemUTC());
      FreezeView f = TeamClient.required(spec).put(TeamPaths.ENVIRONMENT + TeamClient.encode(env) + "/freeze",
          new FreezeRequest(end, reason), FreezeView.class);
      spec.commandLine().getOut().println(Style.ok("✓") + " " + f.environment() + " frozen until " + TeamText.time(f.until())
          + ": " + f.reason() + " (by " + f.by() + ")");
      return 0;
    }
  }

  /** {@code slipway unfreeze}. */
  @Command(name = "unfreeze", description = "End an environment's freeze (admin).")
  static final class Unfreeze implements Callable<Integer> {
    @Parameters(paramLabel = "ENV")
    String env;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      TeamClient.required(spec).delete(TeamPaths.ENVIRONMENT + TeamClient.encode(env) + "/freeze");
      spec.commandLine().getOut().println(Style.ok("✓") + " " + env + " is no longer frozen");
      return 0;
    }
  }
}
