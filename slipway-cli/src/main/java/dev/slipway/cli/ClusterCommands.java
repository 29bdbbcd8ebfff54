package dev.slipway.cli;

import dev.slipway.kubernetes.ClusterEnvironment;
import dev.slipway.kubernetes.ClusterRelease;
import dev.slipway.kubernetes.DeployOrder;
import dev.slipway.kubernetes.DeployResult;
import dev.slipway.kubernetes.KubernetesException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * The commands on a kubernetes environment: each opens the environment, asks it one thing and prints
 * the answer. This process is the runner (decision 0018), so a deploy's progress lines are printed as
 * the rollout makes them, and its last line says how it ended: exit 0 when it did what was asked, 1
 * when it was rolled back or failed; a {@link KubernetesException} says 2 (bad input) or 3 (another
 * runner holds the Lease).
 */
final class ClusterCommands {
  private ClusterCommands() {}

  static int deploy(ClusterTarget t, DeployOrder order, PrintWriter out) throws KubernetesException {
    out.println((order.resume() ? "resuming " : "deploying ") + order.service() + " on " + where(t) + " ...");
    out.flush();
    try (ClusterEnvironment c = t.open(out)) {
      return result(c.deploy(order), out);
    }
  }

  static int promote(ClusterTarget t, String service, boolean waitForEnd, PrintWriter out) throws KubernetesException {
    try (ClusterEnvironment c = t.open(out)) {
      return result(c.promote(service, waitForEnd), out);
    }
  }

  static int abort(ClusterTarget t, String service, PrintWriter out) throws KubernetesException {
    try (ClusterEnvironment c = t.open(out)) {
      return result(c.abort(service), out);
    }
  }

  static int rollback(ClusterTarget t, String service, Integer toRevision, PrintWriter out) throws KubernetesException {
    out.println("rolling back " + service + (toRevision == null ? "" : " to r" + toRevision) + " on " + where(t) + " ...");
    out.flush();
    try (ClusterEnvironment c = t.open(out)) {
      return result(c.rollback(service, toRevision), out);
    }
  }

  static int history(ClusterTarget t, String service, boolean json, PrintWriter out) throws Exception {
    List<ClusterRelease> releases;
    try (ClusterEnvironment c = t.open(out)) {
      releases = c.history(service);
    }
    if (json) {
      out.println(ClusterText.JSON.writeValueAsString(ClusterText.historyJson(releases)));
    } else if (releases.isEmpty()) {
      out.println("No releases of " + service + " on " + where(t) + " yet.");
    } else {
      ClusterText.history(releases).forEach(out::println);
    }
    return 0;
  }

  static int status(ClusterTarget t, boolean json, PrintWriter out) throws Exception {
    dev.slipway.kubernetes.ClusterStatus s;
    try (ClusterEnvironment c = t.open(out)) {
      s = c.status();
    }
    if (json) {
      out.println(ClusterText.JSON.writeValueAsString(s));
    } else {
      ClusterText.status(t.app().name(), t.env().name(), s).forEach(out::println);
    }
    return 0;
  }

  static int logs(ClusterTarget t, String service, boolean follow, int tail, PrintWriter out) throws KubernetesException {
    try (ClusterEnvironment c = t.open(out)) {
      c.logs(service, follow, tail, line -> {
        out.println(line);
        if (follow) {
          out.flush();
        }
      });
    }
    out.flush();
    return 0;
  }

  /**
   * Lists what goes, then deletes it: at once with {@code --yes}, else only if a person at a terminal
   * says yes. Without a terminal and without {@code --yes} nothing is deleted (exit 2): a CI job must say
   * so explicitly.
   */
  static int down(ClusterTarget t, boolean yes, PrintWriter out) throws KubernetesException {
    try (ClusterEnvironment c = t.open(out)) {
      List<String> plan = c.downPlan();
      if (plan.isEmpty()) {
        out.println("Nothing of Slipway's is on " + where(t) + ".");
        return 0;
      }
      String what = plan.size() + (plan.size() == 1 ? " object" : " objects");
      out.println("down deletes " + what + " Slipway created on " + where(t) + ":");
      plan.forEach(l -> out.println("  " + l));
      out.flush();
      if (!yes) {
        Optional<Boolean> answer = t.main().terminal.confirm("Delete " + (plan.size() == 1 ? "it" : "them") + "?");
        if (answer.isEmpty()) {
          throw new CliException(2, "not deleting " + what + " on " + where(t) + ": no terminal to confirm on",
              "add --yes to delete without asking (a CI job, a script)");
        }
        if (!answer.get()) {
          out.println("Nothing deleted.");
          return 1;
        }
      }
      c.down();
      out.println(Style.ok("✓") + " deleted " + what + " on " + where(t));
      return 0;
    }
  }

  /** The last line of a rollout command, and its exit code. */
  private static int result(DeployResult r, PrintWriter out) {
    out.println((r.ok() ? Style.ok("✓") : Style.error("✗")) + " " + r.message());
    out.flush();
    return r.ok() ? 0 : 1;
  }

  /** {@code staging (namespace shop-staging)}: what a person checks before trusting a line. */
  static String where(ClusterTarget t) {
    return t.env().name() + " (namespace " + t.namespace() + ")";
  }
}
