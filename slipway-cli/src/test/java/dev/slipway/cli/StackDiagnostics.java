package dev.slipway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a stack test fails or times out, adds what CI needs to diagnose it to the failure message
 * (the only thing CI prints): the tail of the control plane's log and its threads that run Slipway code.
 */
final class StackDiagnostics implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
  private final Supplier<Path> work;

  StackDiagnostics(Supplier<Path> work) {
    this.work = work;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw explain(failure);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw explain(failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw explain(failure);
  }

  private Throwable explain(Throwable failure) {
    Path dir = work.get();
    if (dir == null) {
      return failure;
    }
    StringBuilder b = new StringBuilder(String.valueOf(failure.getMessage()));
    Path state = dir.resolve(".slipway");
    b.append("\n--- last lines of .slipway/logs/control-plane.log\n").append(tail(state.resolve("logs/control-plane.log"), 60));
    try {
      long pid = CliTestSupport.controlPlanePid(dir);
      b.append("\n--- control plane threads running Slipway code (pid ").append(pid).append(")\n").append(threads(pid));
    } catch (IOException | RuntimeException e) {
      b.append("\n--- no control plane running (").append(e.getMessage()).append(")\n");
    }
    AssertionError wrapped = new AssertionError(b.toString(), failure);
    wrapped.setStackTrace(failure.getStackTrace());
    return wrapped;
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Thread dump of {@code pid} through jcmd, only the threads with a dev.slipway frame. */
  private static String threads(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
      String dump = new String(p.getInputStream().readAllBytes());
      p.waitFor(20, TimeUnit.SECONDS);
      List<String> kept = new ArrayList<>();
      for (String thread : dump.split("\n\n")) {
        if (thread.contains("dev.slipway")) {
          kept.add(thread.lines().limit(25).reduce((a, c) -> a + "\n" + c).orElse(""));
        }
      }
      return kept.isEmpty() ? dump.lines().limit(40).reduce((a, c) -> a + "\n" + c).orElse("") : String.join("\n\n", kept);
    } catch (IOException e) {
      return "(jcmd failed: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }
}
