package dev.slipway.cli;

import dev.slipway.api.team.TeamPaths;
import dev.slipway.api.team.WhoAmIView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway login}, {@code logout}, {@code whoami}. The token is read from standard input (without
 * echo at a terminal) or a file, never from the command line, where {@code ps} and shell history would
 * show it; it is checked with the server before it is kept.
 */
final class LoginCommands {
  private LoginCommands() {}

  /** {@code slipway login --server URL [--token-file F]}. */
  @Command(name = "login", description = "Keep a team server's address and your token (from stdin or --token-file) for later commands.")
  static final class Login implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "URL", required = true, description = "The team server, e.g. http://127.0.0.1:7070.")
    String server;
    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from this file instead of standard input.")
    Path tokenFile;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Main main = Main.of(spec);
      String token = token(main).strip();
      if (token.isEmpty()) {
        throw new CliException(2, "no token was given", "paste the token `slipway user add NAME --role ROLE` printed, or give --token-file FILE");
      }
      TeamClient client = new TeamClient(server.strip(), token);
      WhoAmIView me = client.get(TeamPaths.WHOAMI, WhoAmIView.class);
      Path file = Credentials.file(main.env);
      new Credentials(client.server(), token).write(file);
      PrintWriter out = spec.commandLine().getOut();
      out.println(Style.ok("✓") + " logged in to " + client.server() + " as " + me.name() + " " + me.roles());
      out.println(Style.dim("kept in " + file + " (mode 0600)"));
      if (main.env.apply(TeamPaths.SERVER_VARIABLE) != null) {
        out.println(Style.warn("!") + " " + TeamPaths.SERVER_VARIABLE + " is set: commands use it and "
            + TeamPaths.TOKEN_VARIABLE + " before this login");
      }
      return 0;
    }

    private String token(Main main) {
      if (tokenFile != null) {
        try {
          return Files.readString(tokenFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new CliException(2, "cannot read --token-file " + tokenFile + ": " + e.getMessage(), "check the path");
        }
      }
      Optional<char[]> typed = main.terminal.secret("Token for " + server + ": ");
      if (typed.isPresent()) {
        return new String(typed.get());
      }
      try {
        // one line: a person pasting at a terminal presses Enter, not Ctrl-D
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(main.stdin, StandardCharsets.UTF_8)).readLine();
        return line == null ? "" : line;
      } catch (IOException e) {
        throw new CliException(1, "cannot read the token from standard input: " + e.getMessage(), null);
      }
    }
  }

  /** {@code slipway logout}. */
  @Command(name = "logout", description = "Forget the team server and token `slipway login` kept.")
  static final class Logout implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Main main = Main.of(spec);
      Path file = Credentials.file(main.env);
      PrintWriter out = spec.commandLine().getOut();
      if (Files.deleteIfExists(file)) {
        out.println(Style.ok("✓") + " logged out (removed " + file + ")");
      } else {
        out.println("Not logged in (no " + file + ").");
      }
      if (main.env.apply(TeamPaths.SERVER_VARIABLE) != null) {
        out.println(Style.warn("!") + " " + TeamPaths.SERVER_VARIABLE + " is still set: commands still use it");
      }
      return 0;
    }
  }

  /** {@code slipway whoami}. */
  @Command(name = "whoami", description = "Who the team server takes you for, and your roles.")
  static final class WhoAmI implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      TeamClient client = TeamClient.required(spec);
      WhoAmIView me = client.get(TeamPaths.WHOAMI, WhoAmIView.class);
      spec.commandLine().getOut().println(json ? TeamClient.pretty(me)
          : me.name() + " " + me.roles() + " on " + client.server() + (me.server() == null ? "" : " (" + me.server() + ")"));
      return 0;
    }
  }
}
