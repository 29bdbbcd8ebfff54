package dev.slipway.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The control plane's one way to replace a state file: a private temporary file (mode 0600) in the
 * same directory, fsync it, rename it over the target, fsync the directory. After a crash or a power
 * loss at any point the file holds the old or the new content, never a mix and never nothing: an
 * empty {@code secrets.json} would otherwise read as "no passwords yet", and new ones would be
 * generated that the existing databases reject. The router process writes its {@code routes.json}
 * the same way with its own copy of these lines, since it imports nothing but Netty.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /** Replaces {@code target} with {@code content}; the new file has mode 0600. */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", privateFile());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
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
    } finally {
      Files.deleteIfExists(tmp);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException notSupported) {
      // Some file systems cannot open a directory for fsync; the rename is still atomic there.
    }
  }

  private static FileAttribute<?>[] privateFile() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }
}
