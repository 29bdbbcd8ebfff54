package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Models for generator tests: the shop example and fixtures, loaded as the CLI loads them. */
final class ShopExample {
  static final Path FILE = Path.of("../examples/shop/slipway.yaml");

  private ShopExample() {}

  /** The shop example with {@code environment}'s overlay. */
  static AppSpec load(String environment) {
    return ModelLoader.load(FILE, environment);
  }

  /** Options for {@code file} in {@code environment}: every environment loaded with its overlay. */
  static GenerateOptions options(Path file, String environment, String gitRepository) {
    return GenerateOptions.of(ModelLoader.load(file, environment), false, gitRepository, null);
  }

  /** Runs {@code generator} on {@code file} in {@code environment}. */
  static Generated generate(Generator generator, Path file, String environment) throws GenerateException {
    return generator.generate(ModelLoader.load(file, environment), options(file, environment, null));
  }

  /** Copies the example's sources (no build output, no state) into {@code to}; returns the copy's model file. */
  static Path copy(Path to) throws IOException {
    Path example = FILE.toAbsolutePath().normalize().getParent();
    try (java.util.stream.Stream<Path> files = Files.walk(example)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = example.relativize(p);
        boolean output = false;
        for (Path segment : rel) {
          output |= segment.toString().equals("target") || segment.toString().equals(".slipway")
              || segment.toString().equals("deploy");
        }
        if (output) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
    return to.resolve(FILE.getFileName().toString());
  }

  /** Writes every generated file under {@code dir}, as {@code slipway generate -o dir} does. */
  static void write(Generated generated, Path dir) throws IOException {
    for (Map.Entry<String, String> f : generated.files().entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
  }
}
