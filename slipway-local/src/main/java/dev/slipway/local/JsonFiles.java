package dev.slipway.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Small JSON state files: written whole to a temporary file (mode 0600) and renamed over the old
 * one, so a reader never sees half a file and a crash leaves the previous version.
 */
final class JsonFiles {

  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  // One lock per file across all targets of this JVM (tests run several on one state dir).
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private JsonFiles() {}

  static <T> T read(Path file, TypeReference<T> type, Supplier<T> empty) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return empty.get();
    }
    T value = MAPPER.readValue(file.toFile(), type);
    return value == null ? empty.get() : value;
  }

  static void write(Path file, Object value) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      MAPPER.writeValue(tmp.toFile(), value);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Read, change and write back under one lock. */
  static <T> T update(Path file, TypeReference<T> type, Supplier<T> empty, UnaryOperator<T> change)
      throws IOException {
    ReentrantLock lock = LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new ReentrantLock());
    lock.lock();
    try {
      T next = change.apply(read(file, type, empty));
      write(file, next);
      return next;
    } finally {
      lock.unlock();
    }
  }
}
