package dev.slipway.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code slipway} command. Exit codes: 0 success, 1 failure, 2 bad usage or an invalid model.
 */
@Command(name = "slipway", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Run an application locally, release it safely, generate what the rest of the world runs.",
    subcommands = {
        ValidateCommand.class, ConfigCommand.class, GenerateCommand.class, LintCommand.class, UpCommand.class, StatusCommand.class, LogsCommand.class,
        DownCommand.class, DeployCommand.class, ReleaseCommands.Promote.class, ReleaseCommands.Abort.class,
        ReleaseCommands.Rollback.class, ReleaseCommands.History.class, DemoCommand.class,
        CommandLine.HelpCommand.class},
    usageHelpAutoWidth = true)
public final class Main implements Runnable {
  @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of unexpected errors (for bug reports).")
  boolean stacktrace;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "The model file for the command that follows (default: $SLIPWAY_FILE or ./slipway.yaml).")
  java.nio.file.Path file;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line; tests call this with their own writers. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(ErrorHandler::usage);
    return cl.execute(args);
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"slipway " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
  }
}
