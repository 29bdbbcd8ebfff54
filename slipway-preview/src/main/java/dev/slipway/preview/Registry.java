package dev.slipway.preview;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The directory of preview records. Changes happen under {@link #lock()}: a {@link ReentrantLock} for
 * this JVM's threads (a file lock is the process's, and a second one in the same JVM throws) and an
 * exclusive lock on {@code .lock} for other processes (the CLI, the team server, a CI job on the
 * host). The lock is held for reading and writing records only, never while a stack starts or stops.
 */
final class Registry {
  static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final String SUFFIX = ".json";
  private final Path dir;
  private final ReentrantLock threads = new ReentrantLock();

  Registry(Path dir) throws PreviewException {
    this.dir = dir;
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new PreviewException("cannot create the preview registry " + dir + ": " + e.getMessage(),
          "check the directory's permissions", PreviewException.FAILED, e);
    }
  }

  Path dir() {
    return dir;
  }

  /** Where preview {@code name} keeps its files (a local preview's state directory is {@code state/} in it). */
  Path home(String name) {
    return dir.resolve(name);
  }

  /** Holds the registry for this JVM's thread and against other processes until closed. */
  Held lock() throws PreviewException {
    threads.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.lock();
      return new Held(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      threads.unlock();
      throw failed("lock", e);
    }
  }

  /** A held registry lock. */
  final class Held implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private Held(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public void close() {
      try {
        lock.release();
      } catch (IOException e) {
        // Closing the channel below releases it as well.
      }
      closeQuietly(channel);
      threads.unlock();
    }
  }

  Optional<PreviewRecord> read(String name) throws PreviewException {
    Path file = dir.resolve(name + SUFFIX);
    try {
      return Files.exists(file) ? Optional.of(JSON.readValue(file.toFile(), PreviewRecord.class)) : Optional.empty();
    } catch (IOException e) {
      throw failed("read " + file, e);
    }
  }

  /** Every record, by name; one directory read and the records' small files. */
  List<PreviewRecord> all() throws PreviewException {
    List<PreviewRecord> records = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        try {
          records.add(JSON.readValue(f.toFile(), PreviewRecord.class));
        } catch (IOException e) {
          // A record another process is replacing right now is renamed into place whole, so this is a
          // damaged file: show it rather than hide the preview it stood for.
          String name = f.getFileName().toString();
          records.add(new PreviewRecord(name.substring(0, name.length() - SUFFIX.length()), "local", "failed", null,
              null, null, null, home(name).toString(), null, null, null, null, null,
              "its record " + f + " cannot be read: " + e.getMessage(), 0, 0, 0, 0));
        }
      }
    } catch (IOException e) {
      throw failed("list " + dir, e);
    }
    records.sort(java.util.Comparator.comparing(PreviewRecord::name));
    return records;
  }

  /** Writes the record whole (a temporary file renamed over the old one), so no reader sees half of it. */
  void write(PreviewRecord record) throws PreviewException {
    Path file = dir.resolve(record.name() + SUFFIX);
    Path tmp = dir.resolve("." + record.name() + SUFFIX + ".tmp");
    try {
      Files.write(tmp, JSON.writeValueAsBytes(record));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw failed("write " + file, e);
    }
  }

  void remove(String name) throws PreviewException {
    try {
      Files.deleteIfExists(dir.resolve(name + SUFFIX));
    } catch (IOException e) {
      throw failed("remove the record of " + name, e);
    }
  }

  private static PreviewException failed(String what, IOException e) {
    return new PreviewException("cannot " + what + ": " + e.getMessage(), "check the preview registry's permissions",
        PreviewException.FAILED, e);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing was written through it.
      }
    }
  }
}
