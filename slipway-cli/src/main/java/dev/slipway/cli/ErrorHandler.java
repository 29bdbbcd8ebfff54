package dev.slipway.cli;

import dev.slipway.model.ModelError;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Turns every failure into a clear message and an exit code; stack traces only with --stacktrace. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean stacktrace = parsed.hasMatchedOption("--stacktrace")
        || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--stacktrace"));
    if (ex instanceof ModelOptions.ModelErrors m) {
      for (ModelError e : m.errors.errors()) {
        String where = shown(e.location().file()) + ":" + e.location().line() + ":" + e.location().column();
        err.println(Style.error(where + ": ") + (e.path() == null || e.path().isEmpty() ? "" : e.path() + ": ")
            + e.message());
        if (e.hint() != null && !e.hint().isEmpty()) {
          err.println("    " + e.hint());
        }
      }
      int n = m.errors.errors().size();
      err.println(n + (n == 1 ? " error" : " errors") + " in " + shown(m.errors.errors().get(0).location().file()));
      return 2;
    }
    dev.slipway.kubernetes.KubernetesException k = kubernetes(ex);
    if (k != null) {
      err.println(Style.error("error: ") + k.getMessage());
      if (k.context() != null || k.namespace() != null) {
        err.println("    " + (k.context() == null ? "" : "context " + k.context())
            + (k.context() != null && k.namespace() != null ? ", " : "")
            + (k.namespace() == null ? "" : "namespace " + k.namespace()));
      }
      if (k.fix() != null && !k.fix().isBlank()) {
        k.fix().lines().forEach(l -> err.println("    " + l));
      }
      if (stacktrace) {
        k.printStackTrace(err);
      }
      return k.exitCode();
    }
    if (ex instanceof CliException c) {
      err.println(Style.error("error: ") + c.getMessage());
      if (c.hint != null && !c.hint.isEmpty()) {
        err.println("    " + c.hint);
      }
      for (String d : c.details) {
        err.println("    | " + d);
      }
      if (stacktrace && c.getCause() != null) {
        c.getCause().printStackTrace(err);
      }
      return c.exitCode;
    }
    err.println(Style.error("error: ") + "unexpected " + ex);
    if (stacktrace) {
      ex.printStackTrace(err);
    } else {
      err.println("    run again with --stacktrace for details, and report it");
    }
    return 1;
  }

  /** The cluster's error, also when it comes wrapped (from a progress or log callback, say). */
  private static dev.slipway.kubernetes.KubernetesException kubernetes(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof dev.slipway.kubernetes.KubernetesException k) {
        return k;
      }
    }
    return null;
  }

  /** A path as the user would write it: relative when it is under the working directory. */
  static String shown(java.nio.file.Path file) {
    if (file == null) {
      return "<unknown>";
    }
    java.nio.file.Path cwd = java.nio.file.Path.of("").toAbsolutePath();
    java.nio.file.Path abs = file.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  /** {@code slipway logs api -f}: the habit of {@code tail -f} / {@code docker logs -f}. */
  private static boolean followHabit(CommandLine cl, String[] args) {
    if (!"logs".equals(cl.getCommandName())) {
      return false;
    }
    long files = java.util.Arrays.stream(args).filter(a -> a.equals("-f") || a.equals("--file")).count();
    return files > 1 || (args.length > 0 && args[args.length - 1].equals("-f"));
  }

  static int usage(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(Style.error("error: ") + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    if (followHabit(cl, args)) {
      err.println("    `-f` is the model file on every command; to follow the log, use `--follow`");
    }
    err.println("    see `" + cl.getCommandSpec().qualifiedName() + " --help`");
    return 2;
  }
}
