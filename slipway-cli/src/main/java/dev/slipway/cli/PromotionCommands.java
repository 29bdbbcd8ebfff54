package dev.slipway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.api.team.DecisionRequest;
import dev.slipway.api.team.PromotionRequest;
import dev.slipway.api.team.PromotionView;
import dev.slipway.api.team.TeamPaths;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Promotion from one environment to the next (docs/promotion.md): {@code slipway promote --to ENV}
 * (through {@link ReleaseCommands.Promote}, whose {@code promote SERVICE} stays the canary's next step),
 * {@code promotions}, {@code approve}, {@code reject}.
 */
final class PromotionCommands {
  /** How often a followed promotion is looked at: its gates (soak, window) change by the minute, not the millisecond. */
  static final Duration POLL = Duration.ofSeconds(2);

  private PromotionCommands() {}

  /**
   * {@code slipway promote --to ENV}: shows what would change and which gates hold (a dry run), asks at a
   * terminal unless {@code --yes}, then requests it. Without a terminal and without {@code --yes} it
   * requests without asking: a request changes nothing by itself; the gates and approvers decide.
   */
  static int promote(TeamClient client, PromotionRequest request, boolean yes, boolean await, Terminal terminal,
      PrintWriter out) {
    PromotionView dry = client.post(TeamPaths.PROMOTIONS + "?dryRun=true", request, PromotionView.class);
    TeamText.promotion(dry, true).forEach(out::println);
    out.flush();
    if (dry.items() == null || dry.items().isEmpty()) {
      out.println("Nothing to promote: no service verified in " + dry.from() + " differs from " + dry.to() + ".");
      return 1;
    }
    if (!yes) {
      Optional<Boolean> answer = terminal.confirm("Request this promotion into " + request.to() + "?");
      if (answer.isPresent() && !answer.get()) {
        out.println("Nothing requested.");
        return 1;
      }
    }
    PromotionView p = client.post(TeamPaths.PROMOTIONS, request, PromotionView.class);
    out.println(Style.ok("✓") + " requested promotion " + p.id() + " " + p.from() + " → " + p.to() + ": " + p.state()
        + (p.state().equals("waiting") ? " (" + TeamText.missing(p) + ")" : ""));
    if (p.state().equals("waiting")) {
      out.println(Style.dim("an approver approves it with: slipway approve " + p.id() + "; see it with: slipway promotions "
          + p.id()));
    }
    out.flush();
    return await ? follow(client, p.id(), out) : 0;
  }

  /**
   * Follows promotion {@code id} until it ends, printing each change of state or of what it waits for;
   * exit 0 when it succeeded. Interrupted, it says the promotion goes on and how to follow it again.
   */
  static int follow(TeamClient client, long id, PrintWriter out) {
    AtomicBoolean ended = new AtomicBoolean();
    Thread detach = new Thread(() -> {
      if (!ended.get()) {
        out.println("the promotion goes on on the server; follow again: slipway promotions " + id + " --wait");
        out.flush();
      }
    }, "slipway-detach");
    Runtime.getRuntime().addShutdownHook(detach);
    try {
      String last = null;
      while (true) {
        PromotionView p = client.get(TeamPaths.PROMOTIONS + "/" + id, PromotionView.class);
        String now = p.state() + " " + TeamText.missing(p) + " " + Objects.toString(p.outcome(), "") + p.runIds();
        if (!now.equals(last)) {
          if (p.terminal()) {
            ended.set(true);
            boolean ok = p.state().equals("succeeded");
            out.println((ok ? Style.ok("✓") : Style.error("✗")) + " promotion " + id + " " + p.state()
                + (p.outcome() == null ? "" : ": " + p.outcome()));
            out.flush();
            return ok ? 0 : 1;
          }
          String waits = TeamText.missing(p);
          out.println(Style.dim("  " + p.state() + " ") + (waits.isEmpty() ? Objects.toString(p.outcome(), "") : waits)
              + (p.runIds() == null || p.runIds().isEmpty() ? "" : " (runs " + p.runIds() + ")"));
          out.flush();
          last = now;
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      ended.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(detach);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now and prints the line
      }
    }
  }

  /** {@code slipway promotions [--env E] [ID [--wait]]}. */
  @Command(name = "promotions", description = "Promotions on the team server: what each promotes, its gates and approvals.")
  static final class Promotions implements Callable<Integer> {
    @Parameters(paramLabel = "ID", arity = "0..1", description = "One promotion, in full.")
    Long id;
    @Option(names = "--env", paramLabel = "ENV", description = "Only promotions into this environment.")
    String env;
    @Option(names = "--wait", description = "Follow the promotion until it ends; exit 1 unless it succeeded.")
    boolean await;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (id == null && await) {
        throw new CliException(2, "--wait follows one promotion: give its ID", "list them with `slipway promotions`");
      }
      TeamClient client = TeamClient.required(spec);
      if (id == null) {
        List<PromotionView> all = client.get(TeamPaths.PROMOTIONS + (env == null ? "" : "?env=" + TeamClient.encode(env)),
            new TypeReference<List<PromotionView>>() {});
        if (json) {
          out.println(TeamClient.pretty(all));
        } else if (all.isEmpty()) {
          out.println("No promotions" + (env == null ? "" : " into " + env) + " yet.");
        } else {
          TeamText.promotions(all).forEach(out::println);
        }
        return 0;
      }
      PromotionView p = client.get(TeamPaths.PROMOTIONS + "/" + id, PromotionView.class);
      if (json) {
        out.println(TeamClient.pretty(p));
      } else {
        TeamText.promotion(p, false).forEach(out::println);
      }
      return await ? follow(client, id, out) : 0;
    }
  }

  /** {@code slipway approve ID [--comment C]}. */
  @Command(name = "approve", description = "Approve a promotion (not your own); it runs once every gate holds.")
  static final class Approve implements Callable<Integer> {
    @Parameters(paramLabel = "ID")
    long id;
    @Option(names = "--comment", paramLabel = "C", description = "Why, recorded in the audit trail.")
    String comment;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return decide(spec, id, "approve", comment);
    }
  }

  /** {@code slipway reject ID --comment C}. */
  @Command(name = "reject", description = "Reject a promotion: it ends, rejected. Say why.")
  static final class Reject implements Callable<Integer> {
    @Parameters(paramLabel = "ID")
    long id;
    @Option(names = "--comment", paramLabel = "C", required = true, description = "Why, recorded in the audit trail.")
    String comment;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (comment.isBlank()) {
        throw new CliException(2, "a rejection needs a reason", "say why with --comment \"...\"");
      }
      return decide(spec, id, "reject", comment);
    }
  }

  private static int decide(CommandLine.Model.CommandSpec spec, long id, String decision, String comment) {
    PromotionView p = TeamClient.required(spec).post(TeamPaths.PROMOTIONS + "/" + id + "/" + decision,
        new DecisionRequest(comment), PromotionView.class);
    PrintWriter out = spec.commandLine().getOut();
    out.println(Style.ok("✓") + " " + (decision.equals("approve") ? "approved" : "rejected") + " promotion " + p.id() + " "
        + p.from() + " → " + p.to() + ": now " + p.state()
        + (p.state().equals("waiting") ? " (" + TeamText.missing(p) + ")" : ""));
    return 0;
  }
}
