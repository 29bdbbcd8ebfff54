package dev.slipway.router;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts Java processes with this test run's class path. */
final class Processes {
    private Processes() {
    }

    static ProcessBuilder java(List<String> jvmFlags, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** A TestBackend in its own JVM; returns the process once it listens, and its port. */
    record BackendProcess(Process process, int port) implements AutoCloseable {
        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static BackendProcess backend(String name) throws IOException {
        Process p = java(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), TestBackendMain.class.getName(), name)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                return new BackendProcess(p, Integer.parseInt(line.substring(5)));
            }
        }
        throw new IOException("backend " + name + " exited before listening");
    }
}
