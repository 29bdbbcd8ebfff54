package dev.slipway.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code slipway} command. Exit codes: 0 success, 1 failure, 2 bad usage or an invalid model.
 * {@code -h}/{@code --help} is inherited by every subcommand, so {@code slipway deploy --help} prints
 * deploy's usage even without its required SERVICE. ({@code --version} is not: deploy has its own.)
 */
@Command(name = "slipway", versionProvider = Main.Version.class,
    description = "Run an application locally, release it safely, generate what the rest of the world runs.",
    subcommands = {
        ValidateCommand.class, ConfigCommand.class, GenerateCommand.class, LintCommand.class, UpCommand.class, StatusCommand.class, LogsCommand.class,
        DownCommand.class, DeployCommand.class, ReleaseCommands.Promote.class, ReleaseCommands.Abort.class,
        ReleaseCommands.Rollback.class, ReleaseCommands.History.class, DemoCommand.class,
        PreviewCommands.class,
        // the team server (docs/promotion.md)
        ServerCommand.class, UserCommands.User.class, UserCommands.Users.class, LoginCommands.Login.class,
        LoginCommands.Logout.class, LoginCommands.WhoAmI.class, PromotionCommands.Promotions.class,
        PromotionCommands.Approve.class, PromotionCommands.Reject.class, FreezeCommands.Freeze.class,
        FreezeCommands.Unfreeze.class, RunCommands.Runs.class, AuditCommands.Audit.class,
        HelpCommand.class},
    usageHelpAutoWidth = true)
public final class Main implements Runnable {
  @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
  boolean version;

  @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of unexpected errors (for bug reports).")
  boolean stacktrace;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "The model file for the command that follows (default: $SLIPWAY_FILE or ./slipway.yaml).")
  java.nio.file.Path file;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** How a kubernetes environment is opened; tests give their own. */
  final ClusterTarget.Opener clusters;

  /** Who confirms what {@code down} deletes on a cluster; tests give their own. */
  final Terminal terminal;

  /** The process's environment variables (the team server's address and token among them); tests give their own. */
  final java.util.function.UnaryOperator<String> env;

  /** Standard input ({@code slipway login} reads a token from it); tests give their own. */
  final java.io.InputStream stdin;

  public Main() {
    this(dev.slipway.kubernetes.ClusterEnvironments::open, Terminal.system());
  }

  Main(ClusterTarget.Opener clusters, Terminal terminal) {
    this(clusters, terminal, System::getenv, System.in);
  }

  Main(ClusterTarget.Opener clusters, Terminal terminal, java.util.function.UnaryOperator<String> env,
      java.io.InputStream stdin) {
    this.clusters = clusters;
    this.terminal = terminal;
    this.env = env;
    this.stdin = stdin;
  }

  /** The root command's object of {@code spec}'s tree (a default one when a test built the command alone). */
  static Main of(CommandLine.Model.CommandSpec spec) {
    CommandLine.Model.CommandSpec root = spec == null ? null : spec.root();
    return root != null && root.userObject() instanceof Main m ? m : new Main();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line; tests call this with their own writers. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(new Main(), args, out, err);
  }

  /** {@link #execute(String[], PrintWriter, PrintWriter)} with a root command that opens clusters its own way. */
  static int execute(Main main, String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(main);
    addHelpOptions(cl);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(ErrorHandler::usage);
    // Expired previews of this host go at the start of any command (docs/promotion.md, "Previews").
    PreviewCommands.sweep(err);
    return cl.execute(args);
  }

  /**
   * Gives every command of the tree that has no help option of its own {@code -h} / {@code --help}, so
   * a command added later cannot forget it (picocli's inherited options would clash with {@code help}'s).
   */
  static void addHelpOptions(CommandLine cl) {
    CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
    if (spec.options().stream().noneMatch(CommandLine.Model.OptionSpec::usageHelp)) {
      spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
          .description("Show this help and exit.").build());
    }
    cl.getSubcommands().values().forEach(Main::addHelpOptions);
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
