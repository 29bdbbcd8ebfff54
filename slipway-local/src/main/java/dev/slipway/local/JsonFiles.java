package dev.slipway.local;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.api.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Small JSON state files, written whole and durably ({@link DurableFiles}: mode 0600, fsync, rename),
 * so a reader never sees half a file and a crash or power loss leaves the previous version.
 */
final class JsonFiles {

  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  // One lock per file across all targets of this JVM (tests run several on one state dir).
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private JsonFiles() {}

  /** The file's content; {@code empty} when it does not exist or is empty (state that can be rebuilt). */
  static <T> T read(Path file, TypeReference<T> type, Supplier<T> empty) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return empty.get();
    }
    T value = MAPPER.readValue(file.toFile(), type);
    return value == null ? empty.get() : value;
  }

  /**
   * The file's content; {@code absent} only when it does not exist. An empty or unparsable file is
   * {@link DamagedFileException}: for state that cannot be rebuilt (generated passwords), reading
   * damage as "nothing yet" would silently replace it.
   */
  static <T> T readExisting(Path file, TypeReference<T> type, Supplier<T> absent) throws IOException {
    if (!Files.exists(file)) {
      return absent.get();
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0) {
      throw new DamagedFileException(file, "is empty");
    }
    T value;
    try {
      value = MAPPER.readValue(bytes, type);
    } catch (JacksonException e) {
      throw new DamagedFileException(file, "is not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (value == null) {
      throw new DamagedFileException(file, "holds no JSON object");
    }
    return value;
  }

  static void write(Path file, Object value) throws IOException {
    DurableFiles.write(file, MAPPER.writeValueAsBytes(value));
  }

  /** Read, change and write back under one lock; a missing or empty file reads as {@code empty}. */
  static <T> T update(Path file, TypeReference<T> type, Supplier<T> empty, UnaryOperator<T> change)
      throws IOException {
    return update(file, change, () -> read(file, type, empty));
  }

  /** {@link #update}, reading with {@link #readExisting}: damage is an error, not an empty file. */
  static <T> T updateExisting(Path file, TypeReference<T> type, Supplier<T> absent, UnaryOperator<T> change)
      throws IOException {
    return update(file, change, () -> readExisting(file, type, absent));
  }

  private static <T> T update(Path file, UnaryOperator<T> change, Reader<T> reader) throws IOException {
    ReentrantLock lock = LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new ReentrantLock());
    lock.lock();
    try {
      T next = change.apply(reader.read());
      write(file, next);
      return next;
    } finally {
      lock.unlock();
    }
  }

  private interface Reader<T> {
    T read() throws IOException;
  }

  /** A state file that exists but cannot be what was written: empty, truncated or garbled. */
  static final class DamagedFileException extends IOException {
    DamagedFileException(Path file, String what) {
      super(file + " " + what);
    }
  }
}
