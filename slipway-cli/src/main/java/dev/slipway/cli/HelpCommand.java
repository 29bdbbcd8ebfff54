package dev.slipway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code slipway help [COMMAND…]}: picocli's help command, but for nested commands too ({@code slipway
 * help preview up} prints what {@code slipway preview up --help} prints; picocli's own stops at the
 * first word).
 */
@Command(name = "help", helpCommand = true,
    description = "Show the usage of slipway or of a command, e.g. `slipway help preview up`.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command whose usage to show.")
  List<String> commands = new ArrayList<>();

  private CommandLine self;
  private CommandLine.Help.ColorScheme colors;
  private PrintWriter out;

  @Override
  public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter outWriter,
      PrintWriter errWriter) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = outWriter;
  }

  @Override
  public void run() {
    CommandLine at = self.getParent();
    for (String word : commands) {
      CommandLine sub = at.getSubcommands().get(word);
      if (sub == null) {
        throw new CommandLine.ParameterException(self, "Unknown subcommand '" + String.join(" ", commands) + "'.",
            null, word);
      }
      at = sub;
    }
    at.usage(out, colors);
  }
}
