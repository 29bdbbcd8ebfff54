package dev.slipway.server.team;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code slipway server}'s arguments, checked: every problem is one line saying what is wrong and what to
 * do, collected into {@code errors} (the caller exits 2). {@code --store} and its password are checked by
 * {@link ServerDatabase#settings}.
 */
record TeamServerArgs(Path modelFile, Path dataDir, String storeUrl, Path storePasswordFile, InetSocketAddress listen,
    Path kubeconfig, String context, int previewQuota) {

  static final String USAGE = "usage: slipway server -f slipway.yaml [--data DIR] [--store jdbc:postgresql://… "
      + "--store-password-file F] [--listen 127.0.0.1:PORT] [--kubeconfig F] [--context C] [--preview-quota N]";
  static final int DEFAULT_PORT = 7070;

  static TeamServerArgs parse(String[] args, List<String> errors) {
    Path file = null;
    Path data = null;
    String store = null;
    Path password = null;
    InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);
    Path kubeconfig = null;
    String context = null;
    int quota = TeamSettings.DEFAULT_PREVIEW_QUOTA;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      boolean takesValue = List.of("-f", "--file", "--data", "--store", "--store-password-file", "--listen",
          "--kubeconfig", "--context", "--preview-quota").contains(a);
      if (takesValue && v == null) {
        errors.add(a + " needs a value; " + USAGE);
        break;
      }
      switch (a) {
        case "-f", "--file" -> file = Path.of(v);
        case "--data" -> data = Path.of(v);
        case "--store" -> store = v;
        case "--store-password-file" -> password = Path.of(v);
        case "--listen" -> listen = listen(v, errors);
        case "--kubeconfig" -> kubeconfig = Path.of(v);
        case "--context" -> context = v;
        case "--preview-quota" -> quota = quota(v, errors);
        default -> errors.add("unknown option `" + a + "`; " + USAGE);
      }
      if (takesValue) {
        i++;
      }
    }
    if (file == null) {
      file = Path.of("slipway.yaml");
    }
    if (!Files.isRegularFile(file)) {
      errors.add("no model file at " + file.toAbsolutePath() + "; give the team's checkout of it: -f path/to/slipway.yaml");
    }
    if (kubeconfig != null && !Files.isRegularFile(kubeconfig)) {
      errors.add("no kubeconfig at " + kubeconfig.toAbsolutePath() + "; give an existing file, or leave --kubeconfig out "
          + "for kubectl's order (KUBECONFIG, ~/.kube/config)");
    }
    return new TeamServerArgs(file.toAbsolutePath().normalize(), (data == null ? defaultData() : data).toAbsolutePath()
        .normalize(), store, password, listen, kubeconfig, context, quota);
  }

  /** {@code $XDG_DATA_HOME/slipway/server}, else {@code ~/.local/share/slipway/server}. */
  static Path defaultData() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("slipway").resolve("server");
  }

  private static InetSocketAddress listen(String value, List<String> errors) {
    int colon = value.lastIndexOf(':');
    String fix = "; use --listen 127.0.0.1:PORT (a loopback address; port 0 picks a free one)";
    if (colon <= 0) {
      errors.add("--listen `" + value + "` is not HOST:PORT" + fix);
      return null;
    }
    String host = value.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      errors.add("--listen `" + value + "`: the port is not a number" + fix);
      return null;
    }
    if (port < 0 || port > 65535) {
      errors.add("--listen `" + value + "`: the port must be 0-65535" + fix);
      return null;
    }
    try {
      InetAddress address = InetAddress.getByName(host);
      if (!address.isLoopbackAddress()) {
        errors.add("--listen `" + value + "`: the server listens on loopback only (put a TLS proxy in front to share it)"
            + fix);
        return null;
      }
      return new InetSocketAddress(address, port);
    } catch (UnknownHostException e) {
      errors.add("--listen `" + value + "`: unknown host `" + host + "`" + fix);
      return null;
    }
  }

  private static int quota(String value, List<String> errors) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add("--preview-quota `" + value + "` must be a whole number >= 1 (how many previews at once; default "
        + TeamSettings.DEFAULT_PREVIEW_QUOTA + ")");
    return TeamSettings.DEFAULT_PREVIEW_QUOTA;
  }
}
