package dev.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code slipway login}'s file: the team server and the token, {@code {"server": …, "token": …}}, in
 * {@code $XDG_CONFIG_HOME/slipway/credentials.json} (else {@code ~/.config/slipway/}), mode 0600 like
 * an ssh key. A file others may read is refused, not used: its token may already be someone else's.
 */
record Credentials(String server, String token) {
  static final String FILE_NAME = "credentials.json";

  /** Where the file is for this environment. */
  static Path file(UnaryOperator<String> env) {
    String xdg = env.apply("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "slipway", FILE_NAME);
    }
    String home = env.apply("HOME");
    Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
    return base.resolve(".config").resolve("slipway").resolve(FILE_NAME);
  }

  /** The file's credentials; empty when there is no file; exit 1 when it is readable by others or unreadable. */
  static Optional<Credentials> read(Path file) {
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CliException(1, "cannot read " + file + ": " + e.getMessage(), "check the file's permissions");
    }
    if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
      throw new CliException(1, file + " holds a token but others may read it (mode "
          + PosixFilePermissions.toString(mode) + ")", "make it yours alone: chmod 600 " + file
          + " (and, if others could read it, have an admin give you a new token)");
    }
    try {
      Credentials c = TeamClient.JSON.readValue(file.toFile(), Credentials.class);
      if (c.server() == null || c.token() == null) {
        throw new CliException(1, file + " names no server or no token", "log in again: `slipway login --server URL`");
      }
      return Optional.of(c);
    } catch (JsonProcessingException e) {
      // the parser's message may quote the file's text, the token among it
      throw new CliException(1, file + " is not a login file Slipway wrote", "log in again: `slipway login --server URL`");
    } catch (IOException e) {
      throw new CliException(1, "cannot read " + file + ": " + e.getMessage(), "check the file's permissions");
    }
  }

  /**
   * Writes the file 0600 from its first byte (a file created with the umask and narrowed afterwards
   * would be readable for a moment), in a directory of mode 0700, replacing any older one atomically.
   */
  void write(Path file) {
    try {
      Path dir = file.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path tmp = dir.resolve("." + FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, TeamClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (FileAlreadyExistsException e) {
      throw new CliException(1, "cannot write " + file + ": another login is writing it", "try again");
    } catch (IOException e) {
      throw new CliException(1, "cannot write " + file + ": " + e.getMessage(), "check the directory's permissions");
    }
  }

  /** Never the token: a record's default text would print it. */
  @Override
  public String toString() {
    return "Credentials[server=" + server + ", token=****]";
  }
}
