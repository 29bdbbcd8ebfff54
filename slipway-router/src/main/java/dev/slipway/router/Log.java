package dev.slipway.router;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One line per significant event (config applied, listener opened or closed, backend failures) on
 * standard output; never one per request. Lines are "timestamp level message".
 */
final class Log {
    private static volatile PrintStream out = System.out;

    private Log() {
    }

    /** Sends the lines to {@code stream} from now on (tests read them); returns where they went before. */
    static PrintStream to(PrintStream stream) {
        PrintStream before = out;
        out = stream;
        return before;
    }

    static void info(String message) {
        line("INFO ", message);
    }

    static void warn(String message) {
        line("WARN ", message);
    }

    static void error(String message) {
        line("ERROR", message);
    }

    private static void line(String level, String message) {
        PrintStream o = out;
        String s = Instant.now() + " " + level + " " + message;
        synchronized (o) {
            o.println(s);
            o.flush();
        }
    }
}
