package dev.slipway.router;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The router's files in its state directory: {@code routes.json} (the last applied configuration,
 * so a restarted router serves the same routes without the control plane) and {@code router.json}
 * (pid and admin port, so the control plane can find a router it did not start).
 */
final class StateFiles {
    static final String ROUTES = "routes.json";
    static final String ROUTER = "router.json";

    private final Path dir;

    StateFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path routes() {
        return dir.resolve(ROUTES);
    }

    /** The persisted configuration, or {@code null} when there is none yet. */
    RouteConfig loadRoutes() throws RouterException {
        Path p = routes();
        if (!Files.exists(p)) {
            return null;
        }
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RouterException(500, "state-unreadable", "Cannot read " + p,
                    List.of(e.toString() + "; check the permissions of the state directory"), e);
        }
        try {
            RouteConfig c = RouteConfigParser.parse(text);
            return c.generation() < 0 ? c.withGeneration(0) : c;
        } catch (RouterException e) {
            throw new RouterException(500, "state-invalid", p + " is not a valid route configuration",
                    concat(e.details(), "restore it from a backup, or delete it and let the control plane PUT the routes again"), e);
        }
    }

    void saveRoutes(RouteConfig config) throws IOException {
        writeAtomically(routes(), Json.write(config.toJson()) + "\n");
    }

    void saveRouterInfo(long pid, int adminPort) throws IOException {
        writeAtomically(dir.resolve(ROUTER), "{\"pid\":" + pid + ",\"adminPort\":" + adminPort + "}\n");
    }

    /**
     * Temp file, fsync it, rename over the target, fsync the directory: after a crash at any point
     * the file is either the old or the new content, never a mix or empty.
     */
    void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException notSupported) {
            // Some file systems cannot open a directory for fsync; the rename is still atomic there.
        }
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new java.util.ArrayList<>(list);
        all.add(last);
        return all;
    }
}
