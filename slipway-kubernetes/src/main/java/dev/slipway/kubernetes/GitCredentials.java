package dev.slipway.kubernetes;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;

/**
 * The user's HTTPS credentials from Git's own store, {@code ~/.git-credentials} (what
 * {@code git config credential.helper store} writes: one {@code https://user:token@host} a line).
 * SSH needs none of this: JGit reads {@code ~/.ssh/config} and the keys there itself.
 */
final class GitCredentials extends CredentialsProvider {
  private final Path file;

  GitCredentials(Path file) {
    this.file = file;
  }

  /** The store in the user's home directory ({@code $HOME}, else {@code user.home}). */
  static GitCredentials fromHome() {
    String home = System.getenv("HOME");
    return new GitCredentials(Path.of(home != null ? home : System.getProperty("user.home"), ".git-credentials"));
  }

  @Override
  public boolean isInteractive() {
    return false;
  }

  @Override
  public boolean supports(CredentialItem... items) {
    for (CredentialItem i : items) {
      if (!(i instanceof CredentialItem.Username) && !(i instanceof CredentialItem.Password)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
    String[] found = find(uri);
    if (found == null) {
      return false;
    }
    for (CredentialItem i : items) {
      switch (i) {
        case CredentialItem.Username u -> u.setValue(found[0]);
        case CredentialItem.Password p -> p.setValue(found[1].toCharArray());
        default -> throw new UnsupportedCredentialItem(uri, i.getPromptText());
      }
    }
    return true;
  }

  /** User and password of the first stored line for {@code uri}'s scheme and host (and path, when the line has one). */
  String[] find(URIish uri) {
    if (uri.getHost() == null || !Files.isReadable(file)) {
      return null;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      // An unreadable store is as good as none: the push then fails with the server's "not authorized".
      return null;
    }
    for (String line : lines) {
      URI stored;
      try {
        stored = URI.create(line.strip());
      } catch (IllegalArgumentException e) {
        continue;
      }
      String info = stored.getRawUserInfo();
      if (info == null || stored.getHost() == null || !stored.getHost().equalsIgnoreCase(uri.getHost())
          || !String.valueOf(stored.getScheme()).equalsIgnoreCase(uri.getScheme())
          || stored.getPort() != -1 && stored.getPort() != uri.getPort()) {
        continue;
      }
      String path = stored.getPath();
      if (path != null && !path.isEmpty() && !path.equals("/") && !("/" + uri.getPath()).replace("//", "/")
          .startsWith(path)) {
        continue;
      }
      int colon = info.indexOf(':');
      String user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
      String password = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
      return new String[] {user, password};
    }
    return null;
  }
}
