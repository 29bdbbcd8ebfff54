package dev.slipway.local;

import dev.slipway.engine.runtime.ArtifactRef;
import dev.slipway.engine.runtime.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The content-addressed artifact store, {@code artifacts/<sha256>/}: read-only copies of a build's
 * outputs at their paths relative to the model file's directory, so a release runs its exact files
 * however the working tree changes later. The digest covers each entry's relative path, its type,
 * its content (or link target) and the owner's execute bit; timestamps do not count.
 *
 * <p>A snapshot is copied into a private scratch directory and renamed into place, so readers never
 * see half an artifact and two control planes snapshotting the same outputs end with one copy.
 */
final class ArtifactStore {

  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
  private static final String SCRATCH = ".incoming-";
  /** A scratch directory this old belongs to a copy that crashed; younger ones may be in progress. */
  private static final Duration SCRATCH_AGE = Duration.ofHours(1);
  private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");
  private static final Set<PosixFilePermission> READ_EXEC = PosixFilePermissions.fromString("r-xr-xr-x");
  private static final Set<PosixFilePermission> WRITABLE_DIR = PosixFilePermissions.fromString("rwx------");

  private final Path baseDir;
  private final Path root;
  private final Path stateDir;

  ArtifactStore(Path baseDir, StateLayout layout) {
    this.baseDir = baseDir;
    this.root = layout.artifacts();
    this.stateDir = layout.root();
  }

  /** Snapshots {@code outputs} (relative to the base directory), or reuses the snapshot of equal content. */
  ArtifactRef snapshot(String service, List<String> outputs) throws TargetException {
    TreeMap<String, Source> entries = collect(service, outputs);
    try {
      String digest = digest(entries, null);
      Path existing = root.resolve(digest);
      if (Files.isDirectory(existing)) {
        return new ArtifactRef(digest, existing);
      }
      return copy(entries);
    } catch (IOException e) {
      throw new TargetException(service, "cannot snapshot the build outputs of `" + service + "`: " + e.getMessage(),
          "check that " + root + " is writable and has space, and that the outputs are readable", e);
    }
  }

  Optional<ArtifactRef> find(String digest) {
    if (digest == null || !DIGEST.matcher(digest).matches()) {
      return Optional.empty();
    }
    Path dir = root.resolve(digest);
    return Files.isDirectory(dir) ? Optional.of(new ArtifactRef(digest, dir)) : Optional.empty();
  }

  /**
   * Deletes every snapshot whose digest is not in {@code keep}, and scratch directories of copies
   * that crashed.
   *
   * @return a line per snapshot deleted
   */
  List<String> prune(Set<String> keep) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return lines;
    }
    List<Path> children;
    try (Stream<Path> list = Files.list(root)) {
      children = list.sorted().toList();
    }
    Instant staleBefore = Instant.now().minus(SCRATCH_AGE);
    for (Path dir : children) {
      String name = dir.getFileName().toString();
      if (DIGEST.matcher(name).matches() && !keep.contains(name)) {
        long bytes = size(dir);
        deleteTree(dir);
        lines.add("deleted artifact " + name.substring(0, 12) + " (" + human(bytes) + ")");
      } else if (name.startsWith(SCRATCH)
          && Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(staleBefore)) {
        deleteTree(dir);
      }
    }
    return lines;
  }

  /** What an entry is; decided once, when the outputs are listed. */
  private enum Kind { FILE, DIR, LINK }

  private record Source(Path path, Kind kind) {}

  /**
   * Every file, directory and link the outputs consist of, by path relative to the base directory.
   * An output that is itself a link is followed (its content is what the build produced); links
   * inside an output are kept as links.
   */
  private TreeMap<String, Source> collect(String service, List<String> outputs) throws TargetException {
    TreeMap<String, Source> entries = new TreeMap<>();
    for (String output : outputs) {
      Path p = baseDir.resolve(output).normalize();
      if (!p.startsWith(baseDir) || p.equals(baseDir) || stateDir.startsWith(p)) {
        throw new TargetException(service, "build output `" + output + "` of `" + service + "` is not a path inside "
            + baseDir + " (or it holds Slipway's state directory)",
            "list the files or directories the build produces, e.g. `target/app.jar` or `dist`", List.of());
      }
      if (!Files.exists(p)) {
        throw new TargetException(service, "build output `" + output + "` of `" + service + "` does not exist",
            "check `services." + service + ".build.outputs` (paths are relative to " + baseDir
                + ") and that the build command creates it", List.of());
      }
      Path rel = baseDir.relativize(p);
      try {
        Path real = p.toRealPath();
        try (Stream<Path> walk = Files.walk(real)) {
          for (Path f : walk.toList()) {
            Kind kind = Files.isSymbolicLink(f) ? Kind.LINK
                : Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) ? Kind.DIR
                : Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) ? Kind.FILE
                : null; // sockets, pipes and devices are left out
            if (kind != null && !f.startsWith(stateDir)) {
              entries.put(rel.resolve(real.relativize(f)).normalize().toString(), new Source(f, kind));
            }
          }
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new TargetException(service, "cannot read build output `" + output + "` of `" + service + "`: "
            + e.getMessage(), "check its permissions", e);
      }
    }
    // Whatever holds an entry is a directory in the snapshot: the directories leading to a nested
    // output (`target` for `target/app.jar`), and a link that another output was reached through.
    for (String rel : List.copyOf(entries.keySet())) {
      for (Path parent = Path.of(rel).getParent(); parent != null; parent = parent.getParent()) {
        entries.put(parent.toString(), new Source(baseDir.resolve(parent), Kind.DIR));
      }
    }
    return entries;
  }

  /** Copies into a scratch directory, hashing what was copied, then renames it into place. */
  private ArtifactRef copy(TreeMap<String, Source> entries) throws IOException {
    Files.createDirectories(root);
    Path scratch = Files.createTempDirectory(root, SCRATCH,
        PosixFilePermissions.asFileAttribute(WRITABLE_DIR));
    try {
      // The digest of the copies, not of the sources: a file that changed since the first pass is
      // stored under the digest of the bytes actually stored.
      String digest = digest(entries, scratch);
      List<Path> dirs = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(scratch)) {
        walk.filter(f -> Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)).forEach(dirs::add);
      }
      for (Path dir : dirs.reversed()) {
        Files.setPosixFilePermissions(dir, READ_EXEC);
      }
      Path target = root.resolve(digest);
      try {
        Files.move(scratch, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!Files.isDirectory(target)) {
          throw e;
        }
        // Someone else stored the same content first: theirs is as good as ours.
        deleteTree(scratch);
      }
      return new ArtifactRef(digest, target);
    } finally {
      if (Files.exists(scratch, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(scratch);
      }
    }
  }

  /**
   * SHA-256 over the entries in path order; with {@code copyTo}, each entry is also copied there
   * (files read once: hashed while written).
   */
  private static String digest(TreeMap<String, Source> entries, Path copyTo) throws IOException {
    MessageDigest sha = sha256();
    byte[] buf = new byte[64 * 1024];
    for (Map.Entry<String, Source> e : entries.entrySet()) {
      String rel = e.getKey();
      Path src = e.getValue().path();
      Kind kind = e.getValue().kind();
      Path dst = copyTo == null ? null : copyTo.resolve(rel);
      if (kind == Kind.LINK) {
        String target = Files.readSymbolicLink(src).toString();
        update(sha, "L", rel, target);
        if (dst != null) {
          Files.createSymbolicLink(dst, Path.of(target));
        }
      } else if (kind == Kind.DIR) {
        update(sha, "D", rel);
        if (dst != null) {
          Files.createDirectories(dst);
        }
      } else {
        boolean exec = Files.getPosixFilePermissions(src)
            .contains(PosixFilePermission.OWNER_EXECUTE);
        update(sha, exec ? "X" : "F", rel);
        MessageDigest content = sha256();
        try (InputStream in = Files.newInputStream(src);
             OutputStream out = dst == null ? OutputStream.nullOutputStream()
                 : Files.newOutputStream(dst, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            content.update(buf, 0, n);
            out.write(buf, 0, n);
          }
        }
        sha.update(content.digest());
        if (dst != null) {
          Files.setLastModifiedTime(dst, Files.getLastModifiedTime(src));
          Files.setPosixFilePermissions(dst, exec ? READ_EXEC : READ_ONLY);
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void update(MessageDigest sha, String... parts) {
    for (String part : parts) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      sha.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
      sha.update(b);
    }
  }

  /** Deletes a tree whose directories are read-only: each is made writable before it is emptied. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, WRITABLE_DIR);
        }
      }
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  private static String human(long bytes) {
    return bytes < 1024 * 1024 ? (bytes + 1023) / 1024 + " KB" : String.format("%.1f MB", bytes / 1048576.0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
