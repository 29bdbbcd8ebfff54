package dev.slipway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code slipway help [COMMAND…]}: picocli's help command, but following the whole path, so
 * {@code slipway help user add} shows {@code user add}'s usage as {@code slipway user add --help} does
 * (picocli's own stops at the first word).
 */
@Command(name = "help", helpCommand = true, description = "Show a command's help, e.g. `slipway help deploy`, `slipway help audit verify`.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommand, to show the help of.")
  List<String> commands = new ArrayList<>();

  private CommandLine self;
  private CommandLine.Help.ColorScheme colors;
  private PrintWriter out;

  @Override
  public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = out;
  }

  @Override
  public void run() {
    CommandLine at = self.getParent();
    if (at == null) {
      return;
    }
    for (String name : commands) {
      CommandLine sub = at.getSubcommands().get(name);
      if (sub == null) {
        throw new CommandLine.ParameterException(at, "Unknown subcommand '" + name + "'.", null, name);
      }
      at = sub;
    }
    at.usage(out, colors);
  }
}
