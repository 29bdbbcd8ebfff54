package dev.slipway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.AuditReport;
import dev.slipway.api.team.AuditVerifier;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.api.team.TeamPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway audit}: the team server's audit trail, and {@code audit verify}, which recomputes its
 * hash chain here, on the reader's machine ({@link AuditVerifier}), rather than trusting the server's
 * word that it is intact.
 */
final class AuditCommands {
  /** Entries per request: the trail of a busy year is read in pieces. */
  static final int PAGE = 500;

  private AuditCommands() {}

  /** Every entry after {@code query}'s filter, oldest first. */
  static List<AuditEntryView> entries(TeamClient client, String query) {
    List<AuditEntryView> all = new ArrayList<>();
    long after = 0;
    while (true) {
      List<AuditEntryView> page = client.get(TeamPaths.AUDIT + "?" + query + (query.isEmpty() ? "" : "&") + "afterSeq="
          + after + "&limit=" + PAGE, new TypeReference<List<AuditEntryView>>() {});
      all.addAll(page);
      if (page.size() < PAGE) {
        return all;
      }
      after = page.get(page.size() - 1).seq();
    }
  }

  /** {@code slipway audit [--env E] [--since T] [--json]}. */
  @Command(name = "audit", description = "The audit trail: who did what, when, where; `audit verify` checks nobody edited it.",
      subcommands = Verify.class)
  static final class Audit implements Callable<Integer> {
    @Option(names = "--env", paramLabel = "ENV", description = "Only entries about this environment.")
    String env;
    @Option(names = "--since", paramLabel = "T", description = "Only entries from T on: an ISO-8601 instant, or a duration ago (24h).")
    String since;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      List<String> query = new ArrayList<>();
      if (env != null) {
        query.add("env=" + TeamClient.encode(env));
      }
      if (since != null) {
        query.add("since=" + TeamClient.encode(since(since, Clock.systemUTC()).toString()));
      }
      List<AuditEntryView> entries = entries(TeamClient.required(spec), String.join("&", query));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(TeamClient.pretty(entries));
        return 0;
      }
      if (entries.isEmpty()) {
        out.println("No audit entries" + (env == null ? "" : " about " + env) + (since == null ? "" : " since " + since) + ".");
        return 0;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"#", "AT", "WHO", "ACTION", "ENV", "SERVICE", "RELEASE", "REASON", "DETAILS"});
      for (AuditEntryView e : entries) {
        String release = e.beforeRelease() == null && e.afterRelease() == null ? "-"
            : RunCommands.dash(e.beforeRelease()) + " → " + RunCommands.dash(e.afterRelease());
        rows.add(new String[] {Long.toString(e.seq()), TeamText.time(e.at()), e.actor(), e.action(),
            RunCommands.dash(e.environment()), RunCommands.dash(e.service()), release, RunCommands.dash(e.reason()),
            RunCommands.dash(e.details())});
      }
      StatusTable.columns(rows).forEach(out::println);
      return 0;
    }

    /** {@code --since}: an instant, or a duration back from now. */
    static Instant since(String value, Clock clock) {
      try {
        return Instant.parse(value.strip());
      } catch (java.time.DateTimeException notAnInstant) {
        try {
          return clock.instant().minus(dev.slipway.model.Durations.parseArgument(value));
        } catch (RuntimeException notADuration) {
          throw new CliException(2, "--since `" + value + "` is neither an instant nor a duration",
              "give an ISO-8601 instant like 2026-12-01T00:00:00Z, or how long ago like 24h");
        }
      }
    }
  }

  /** {@code slipway audit verify [--checkpoint FILE] [--export FILE]}. */
  @Command(name = "verify", description = "Recompute the audit trail's hash chain and check its signed checkpoints; exit 1 if it was changed.")
  static final class Verify implements Callable<Integer> {
    @Option(names = "--checkpoint", paramLabel = "FILE",
        description = "A checkpoint saved earlier with --export: also catches a trail cut back below it.")
    Path checkpoint;
    @Option(names = "--export", paramLabel = "FILE", description = "Have the server sign its trail's head now and save that checkpoint here (after a clean check), for a later --checkpoint.")
    Path export;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      CheckpointView saved = checkpoint == null ? null : read(checkpoint);
      TeamClient client = TeamClient.required(spec);
      if (export != null) {
        // Export what the trail is now, not the last minute's checkpoint: ask the server to sign its head.
        // A server that refuses (its own check found the trail changed) is answered by the check below.
        try {
          client.post(TeamPaths.AUDIT_CHECKPOINT, null, CheckpointView.class);
        } catch (CliException refused) {
          spec.commandLine().getErr().println(Style.warn("!") + " the server signed no new checkpoint: " + refused.getMessage());
        }
      }
      List<AuditEntryView> entries = entries(client, "");
      List<CheckpointView> checkpoints = client.get(TeamPaths.AUDIT_CHECKPOINTS, new TypeReference<List<CheckpointView>>() {});
      AuditReport report = AuditVerifier.verify(entries, checkpoints, saved, null);
      PrintWriter out = spec.commandLine().getOut();
      report.text().lines().forEach(out::println);
      if (!report.ok()) {
        out.println(Style.error("✗") + " the audit trail of " + client.server() + " was changed (" + checkpoints.size()
            + (checkpoints.size() == 1 ? " checkpoint" : " checkpoints") + (saved == null ? "" : " and the saved one")
            + " checked)");
        return 1;
      }
      out.println(Style.ok("✓") + " " + entries.size() + (entries.size() == 1 ? " entry" : " entries") + " and "
          + checkpoints.size() + (checkpoints.size() == 1 ? " checkpoint" : " checkpoints")
          + (saved == null ? "" : " and the saved checkpoint of " + saved.count() + " entries") + " checked: intact");
      if (export != null) {
        if (checkpoints.isEmpty()) {
          throw new CliException(1, "the server has signed no checkpoint, so there is nothing to export",
              "an empty trail has nothing to sign: try again once something was done on the server");
        }
        CheckpointView latest = checkpoints.get(checkpoints.size() - 1);
        Files.writeString(export, TeamClient.pretty(latest) + "\n");
        out.println("saved the checkpoint of " + latest.count() + " entries (" + TeamText.time(latest.at()) + ") to "
            + export + "; check against it later: slipway audit verify --checkpoint " + export);
      }
      return 0;
    }

    private static CheckpointView read(Path file) {
      try {
        return TeamClient.JSON.readValue(file.toFile(), CheckpointView.class);
      } catch (IOException e) {
        throw new CliException(2, "--checkpoint " + file + " is not a checkpoint `slipway audit verify --export FILE` saved ("
            + e.getMessage() + ")", "give the file --export wrote");
      }
    }
  }
}
