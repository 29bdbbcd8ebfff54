package dev.slipway.local;

import dev.slipway.engine.runtime.SecretMasker;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads the end of a log file without reading the whole file. */
final class LogTail {

  private static final int CHUNK = 8192;
  private static final long MAX_BYTES = 1 << 20;

  private LogTail() {}

  /** The last {@code n} lines, masked; on a read error one line that says so. */
  static List<String> lines(Path log, int n, SecretMasker masker) {
    try {
      return read(log, n).stream().map(masker::mask).toList();
    } catch (IOException e) {
      return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
    }
  }

  static List<String> read(Path log, int n) throws IOException {
    if (n <= 0 || !Files.exists(log)) {
      return List.of();
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long end = f.length();
      long pos = end;
      int found = 0;
      // Walk back chunk by chunk to the n-th line break before the end (a trailing one does not count).
      outer:
      while (pos > 0) {
        int len = (int) Math.min(CHUNK, pos);
        long chunkStart = pos - len;
        byte[] buf = new byte[len];
        f.seek(chunkStart);
        f.readFully(buf);
        for (int i = len - 1; i >= 0; i--) {
          long at = chunkStart + i;
          if (buf[i] == '\n' && at != end - 1 && ++found == n) {
            pos = at + 1;
            break outer;
          }
        }
        pos = chunkStart;
      }
      // A log without line breaks must not fill the heap.
      pos = Math.max(pos, end - MAX_BYTES);
      byte[] tail = new byte[(int) (end - pos)];
      f.seek(pos);
      f.readFully(tail);
      List<String> lines = new ArrayList<>(List.of(new String(tail, StandardCharsets.UTF_8).split("\n", -1)));
      if (!lines.isEmpty() && lines.getLast().isEmpty()) {
        lines.removeLast();
      }
      int from = Math.max(0, lines.size() - n);
      return Collections.unmodifiableList(lines.subList(from, lines.size()));
    }
  }
}
