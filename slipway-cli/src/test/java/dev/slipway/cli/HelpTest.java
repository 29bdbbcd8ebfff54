package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command and subcommand answers {@code -h} / {@code --help} with its own usage and exit 0. */
class HelpTest {

  /** Each command path of the whole tree ({@code deploy}, {@code help}, …), crossed with both spellings. */
  static Stream<Arguments> everyCommand() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new Main()), new ArrayList<>(), paths);
    assertThat(paths).as("the command tree").hasSizeGreaterThan(10);
    return paths.stream().flatMap(p -> Stream.of(Arguments.of(p, "--help"), Arguments.of(p, "-h")));
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> into) {
    into.add(List.copyOf(path));
    cl.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandName().equals(name)) { // once per command, not per alias
        List<String> next = new ArrayList<>(path);
        next.add(name);
        collect(sub, next, into);
      }
    });
  }

  @ParameterizedTest(name = "slipway {0} {1}")
  @MethodSource("everyCommand")
  void help_printsThatCommandsUsage_andExits0(List<String> path, String flag) {
    List<String> args = new ArrayList<>(path);
    args.add(flag);

    CliTestSupport.Result r = CliTestSupport.cli(args.toArray(String[]::new));

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.err()).as(r.output()).isEmpty();
    String name = path.isEmpty() ? "slipway" : "slipway " + String.join(" ", path);
    assertThat(r.out().lines()).as(r.output()).anyMatch(l -> l.startsWith("Usage: " + name + " "));
  }

  @ParameterizedTest(name = "slipway help {0}")
  @MethodSource("everyCommand")
  void helpCommand_agreesWithHelpOption(List<String> path, String flag) {
    if (path.isEmpty() || flag.equals("-h")) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("help"));
    args.addAll(path);
    CliTestSupport.Result viaHelp = CliTestSupport.cli(args.toArray(String[]::new));
    List<String> opt = new ArrayList<>(path);
    opt.add(flag);
    CliTestSupport.Result viaOption = CliTestSupport.cli(opt.toArray(String[]::new));

    assertThat(viaHelp.code()).isZero();
    assertThat(viaHelp.out()).isEqualTo(viaOption.out());
  }
}
