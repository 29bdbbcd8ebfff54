package dev.slipway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.api.team.RunView;
import dev.slipway.api.team.TeamPaths;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slipway runs}: what the team server runs or ran for its users (deploys, rollbacks, promotion
 * steps), and following one to its end. A run belongs to the server: a follower that goes away (Ctrl-C,
 * a CI job's end) leaves it running, and {@code slipway runs ID --wait} picks it up again.
 */
final class RunCommands {
  /** How long one long poll may be held by the server: short enough to notice a dead connection. */
  static final Duration POLL = Duration.ofSeconds(20);

  private RunCommands() {}

  /** {@code slipway runs [--env E] [ID [--wait]]}. */
  @Command(name = "runs", description = "Runs on the team server (deploys, rollbacks, promotion steps); one run by ID, --wait to follow it.")
  static final class Runs implements Callable<Integer> {
    @Parameters(paramLabel = "ID", arity = "0..1", description = "One run.")
    Long id;
    @Option(names = "--env", paramLabel = "ENV", description = "Only runs on this environment.")
    String env;
    @Option(names = "--wait", description = "Follow the run until it ends; exit 1 unless it succeeded.")
    boolean await;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (id == null && await) {
        throw new CliException(2, "--wait follows one run: give its ID", "list them with `slipway runs`");
      }
      TeamClient client = TeamClient.required(spec);
      if (id == null) {
        List<RunView> runs = client.get(TeamPaths.RUNS + (env == null ? "" : "?env=" + TeamClient.encode(env)),
            new TypeReference<List<RunView>>() {});
        if (json) {
          out.println(TeamClient.pretty(runs));
        } else if (runs.isEmpty()) {
          out.println("No runs" + (env == null ? "" : " on " + env) + " yet.");
        } else {
          table(runs).forEach(out::println);
        }
        return 0;
      }
      if (await) {
        return follow(client, id, out);
      }
      RunView run = client.get(TeamPaths.RUNS + "/" + id, RunView.class);
      out.println(json ? TeamClient.pretty(run) : line(run));
      return 0;
    }
  }

  /**
   * Follows run {@code id} until it ends, printing each new state or message; exit 0 when it
   * succeeded, 1 otherwise. Interrupted (Ctrl-C), it says the run goes on and how to follow it again.
   */
  static int follow(TeamClient client, long id, PrintWriter out) {
    AtomicBoolean ended = new AtomicBoolean();
    Thread detach = new Thread(() -> {
      if (!ended.get()) {
        out.println("still running on the server; follow again: slipway runs " + id + " --wait");
        out.flush();
      }
    }, "slipway-detach");
    Runtime.getRuntime().addShutdownHook(detach);
    try {
      String last = null;
      while (true) {
        RunView run = client.poll(TeamPaths.RUNS + "/" + id + "?waitSeconds=" + POLL.toSeconds(), POLL, RunView.class);
        String now = run.state() + " " + Objects.toString(run.message(), "");
        if (!now.equals(last)) {
          if (run.finished()) {
            ended.set(true);
            boolean ok = run.state().equals("succeeded");
            out.println((ok ? Style.ok("✓") : Style.error("✗")) + " run " + id + " " + run.state()
                + (run.message() == null ? "" : ": " + run.message()));
            out.flush();
            return ok ? 0 : 1;
          }
          out.println(Style.dim("  " + run.state() + " ") + Objects.toString(run.message(), ""));
          out.flush();
          last = now;
        }
      }
    } finally {
      ended.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(detach);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now and prints the line
      }
    }
  }

  /** {@code run 12 deploy api on staging: running — api r3 25% (alice)}. */
  static String line(RunView r) {
    return "run " + r.id() + " " + r.kind() + (r.service() == null ? "" : " " + r.service()) + " on " + r.environment()
        + ": " + r.state() + (r.message() == null ? "" : " — " + r.message())
        + (r.release() == null ? "" : " [" + r.release() + (r.image() == null ? "" : " " + r.image()) + "]")
        + " (" + r.requestedBy() + (r.promotionId() == 0 ? "" : ", promotion " + r.promotionId()) + ")";
  }

  static List<String> table(List<RunView> runs) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "KIND", "ENV", "SERVICE", "STATE", "RELEASE", "BY", "STARTED", "MESSAGE"});
    for (RunView r : runs) {
      rows.add(new String[] {Long.toString(r.id()), r.kind(), r.environment(), dash(r.service()), r.state(),
          dash(r.release()), dash(r.requestedBy()), r.startedAt() == null ? "-" : TeamText.time(r.startedAt()),
          dash(r.message())});
    }
    return StatusTable.columns(rows);
  }

  static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
