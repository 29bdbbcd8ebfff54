package dev.slipway.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads a {@code slipway.yaml} into a validated {@link AppSpec}.
 *
 * <p>Whatever the input, the only exception is {@link ModelException}, holding every problem found
 * (not just the first), each with file, line, column, model path, message and a hint. Binding walks
 * SnakeYAML's node tree (which keeps positions) by hand; no reflection, no constructors.
 *
 * <pre>{@code
 * AppSpec app = ModelLoader.load(Path.of("slipway.yaml"), "staging");
 * }</pre>
 */
public final class ModelLoader {
  /** The file commands use when none is given with {@code -f}. */
  public static final String DEFAULT_FILE = "slipway.yaml";
  /**
   * The environment commands use when none is given with {@code --env}. A model without
   * {@code environments:} has it implicitly, as a local environment without overrides.
   */
  public static final String DEFAULT_ENVIRONMENT = "dev";

  private ModelLoader() {}

  /**
   * Reads and validates {@code file}, applying {@code environment}'s overlay.
   *
   * @param environment an environment declared under {@code environments:}, or {@code null} for the
   *                    base model
   * @throws ModelException when the file cannot be read or holds any error
   */
  public static AppSpec load(Path file, String environment) {
    return load(file, environment, false);
  }

  /**
   * {@link #load} for running the model on this machine ({@code slipway up}, the control plane): the
   * environment must also target {@code local}, and hints suggest local environments.
   */
  public static AppSpec loadLocal(Path file, String environment) {
    return load(file, environment, true);
  }

  private static AppSpec load(Path file, String environment, boolean local) {
    Problems p = new Problems(file);
    String text = read(file, p);
    if (text == null) {
      throw new ModelException(p.errors());
    }
    return parse(text, file, environment, local);
  }

  /**
   * Validates model text as if read from {@code file} (used in error locations and for
   * {@link AppSpec#baseDir()}); for tests, fuzzing and editors.
   *
   * @throws ModelException when the text holds any error
   */
  public static AppSpec parse(String yamlText, Path file, String environment) {
    return parse(yamlText, file, environment, false);
  }

  /** {@link #parse}, as {@link #loadLocal} checks. */
  static AppSpec parse(String yamlText, Path file, String environment, boolean local) {
    Path f = Objects.requireNonNullElse(file, Path.of(DEFAULT_FILE));
    Problems p = new Problems(f);
    Node root = compose(Objects.requireNonNullElse(yamlText, ""), p);
    AppSpec app = root == null ? null : AppBinder.bind(root, p, f, environment, local);
    if (app == null || p.hasErrors()) {
      throw new ModelException(p.errors());
    }
    return app;
  }

  /**
   * Every error in {@code file}: the base model, each declared environment with its overlay applied,
   * and what {@code slipway up} checks of the environment it runs by default ({@link
   * #DEFAULT_ENVIRONMENT}: declared, or implicit when there are no environments, and local); each
   * error once, in file order. Errors that only appear with an environment's overlay say which
   * environment. Empty when every command can load the model ({@code slipway validate}).
   */
  public static List<ModelError> validateAll(Path file) {
    Problems p = new Problems(file);
    String text = read(file, p);
    return text == null ? p.errors() : validateAll(text, file);
  }

  /** {@link #validateAll(Path)} for text read elsewhere. */
  public static List<ModelError> validateAll(String yamlText, Path file) {
    Path f = Objects.requireNonNullElse(file, Path.of(DEFAULT_FILE));
    Problems base = new Problems(f);
    Node root = compose(Objects.requireNonNullElse(yamlText, ""), base);
    if (root == null) {
      return base.errors();
    }
    AppBinder.bind(root, base, f, null, false);
    Set<ModelError> all = new LinkedHashSet<>(base.errors());
    Set<String> environments = new LinkedHashSet<>(AppBinder.environmentNames(root));
    environments.add(DEFAULT_ENVIRONMENT);
    for (String env : environments) {
      Problems p = new Problems(f);
      AppBinder.bind(root, p, f, env, env.equals(DEFAULT_ENVIRONMENT));
      String note = " (with environment `" + Scalars.abbreviate(env) + "`)";
      for (ModelError e : p.errors()) {
        if (!all.contains(e)) {
          // errors about the environment itself name it already
          all.add(e.message().contains("environment `" + Scalars.abbreviate(env) + "`") ? e : e.withNote(note));
        }
      }
    }
    return all.stream().sorted(Problems.BY_POSITION).toList();
  }

  /**
   * Checks {@code slipway deploy SERVICE --set NAME=VALUE} overrides exactly as the model's own {@code env}
   * values are checked (names, references, a {@code ${PORT}} no shell would expand…), by binding
   * {@code file} for {@code environment} with the overrides added to the service's {@code env}. Returns
   * the errors about the overrides only (their locations point nowhere useful: they were never
   * written in the file); empty when every override is valid or the model itself cannot be read.
   */
  public static List<ModelError> checkOverrides(Path file, String environment, String service,
      java.util.Map<String, String> set) {
    Problems p = new Problems(file);
    String text = read(file, p);
    Node root = text == null ? null : compose(text, p);
    if (root == null || set.isEmpty() || !(root instanceof MappingNode app)) {
      return List.of();
    }
    MappingNode env = envOf(app, service);
    if (env == null) {
      return List.of();
    }
    for (java.util.Map.Entry<String, String> e : set.entrySet()) {
      env.getValue().removeIf(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(e.getKey()));
      env.getValue().add(new NodeTuple(scalar(e.getKey()), scalar(e.getValue())));
    }
    Problems checked = new Problems(file);
    AppBinder.bind(root, checked, file, environment, false);
    String prefix = "services." + service + ".env.";
    return checked.errors().stream()
        .filter(e -> e.path() != null && e.path().startsWith(prefix) && set.containsKey(e.path().substring(prefix.length())))
        .toList();
  }

  private static MappingNode envOf(MappingNode app, String service) {
    MappingNode services = child(app, "services") instanceof MappingNode m ? m : null;
    MappingNode s = services != null && child(services, service) instanceof MappingNode m ? m : null;
    if (s == null) {
      return null;
    }
    if (child(s, "env") instanceof MappingNode env) {
      return env;
    }
    MappingNode env = new MappingNode(Tag.MAP, new java.util.ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
    s.getValue().removeIf(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("env"));
    s.getValue().add(new NodeTuple(scalar("env"), env));
    return env;
  }

  private static Node child(MappingNode m, String key) {
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }

  private static ScalarNode scalar(String value) {
    return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
  }

  /** The checked node tree, or {@code null} when it cannot be bound (reported). */
  private static Node compose(String text, Problems p) {
    Node root = YamlComposer.compose(text, p);
    return root != null && TreeCheck.check(root, p) ? root : null;
  }

  /** The file's text, or {@code null} after reporting why it cannot be read. */
  static String read(Path file, Problems p) {
    SourceLocation at = p.start();
    try {
      if (Files.isDirectory(file)) {
        p.error(at, "", "is a directory, not a model file", "pass the model file itself with -f FILE");
        return null;
      }
      if (Files.size(file) > 4L * YamlComposer.MAX_CHARS) {
        p.error(at, "", "the file is too large (over " + YamlComposer.MAX_CHARS + " characters)",
            "a model file is usually a few hundred lines; check that this is the right file");
        return null;
      }
      return decode(Files.readAllBytes(file), p);
    } catch (NoSuchFileException e) {
      p.error(at, "", "no such file", "create it or pass -f FILE");
    } catch (AccessDeniedException e) {
      p.error(at, "", "permission denied", "make the file readable, or pass -f FILE");
    } catch (IOException | SecurityException e) {
      p.error(at, "", "cannot read the file: " + e.getMessage(), "check the file, or pass -f FILE");
    }
    return null;
  }

  /** Strict UTF-8, so that a mis-encoded file is reported at its bad byte instead of read as U+FFFD. */
  private static String decode(byte[] bytes, Problems p) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
          column = 1;
        } else if ((bytes[i] & 0xC0) != 0x80) {
          column++;
        }
      }
      p.error(new SourceLocation(p.file(), line, column), "", "the file is not valid UTF-8",
          "save it as UTF-8");
      return null;
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
