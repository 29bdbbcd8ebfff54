package dev.slipway.server;

import dev.slipway.engine.runtime.SecretMasker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Streams new lines of one or more log files as they are written (like {@code tail -f}), masked,
 * prefixed with the instance id when there are several. Survives truncation.
 */
final class LogFollower {
  private final Map<String, Path> files;
  private final SecretMasker masker;

  LogFollower(Map<String, Path> files, SecretMasker masker) {
    this.files = files;
    this.masker = masker;
  }

  /** Follows until the client goes away or {@code keepGoing} turns false. */
  void follow(OutputStream out, java.util.function.BooleanSupplier keepGoing) throws IOException {
    long[] offsets = new long[files.size()];
    StringBuilder[] partial = new StringBuilder[files.size()];
    Path[] paths = files.values().toArray(Path[]::new);
    String[] ids = files.keySet().toArray(String[]::new);
    for (int i = 0; i < paths.length; i++) {
      offsets[i] = Files.exists(paths[i]) ? Files.size(paths[i]) : 0;
      partial[i] = new StringBuilder();
    }
    while (keepGoing.getAsBoolean()) {
      boolean wrote = false;
      for (int i = 0; i < paths.length; i++) {
        if (!Files.exists(paths[i])) {
          continue;
        }
        long size = Files.size(paths[i]);
        if (size < offsets[i]) {
          offsets[i] = 0;
        }
        if (size == offsets[i]) {
          continue;
        }
        try (RandomAccessFile raf = new RandomAccessFile(paths[i].toFile(), "r")) {
          raf.seek(offsets[i]);
          byte[] buf = new byte[(int) Math.min(size - offsets[i], 1 << 20)];
          raf.readFully(buf);
          offsets[i] += buf.length;
          partial[i].append(new String(buf, StandardCharsets.UTF_8));
        }
        int nl;
        while ((nl = partial[i].indexOf("\n")) >= 0) {
          String line = partial[i].substring(0, nl);
          partial[i].delete(0, nl + 1);
          String shown = (paths.length > 1 ? ids[i] + " | " : "") + masker.mask(line) + "\n";
          out.write(shown.getBytes(StandardCharsets.UTF_8));
          wrote = true;
        }
      }
      if (wrote) {
        out.flush();
      } else {
        try {
          Thread.sleep(150);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
