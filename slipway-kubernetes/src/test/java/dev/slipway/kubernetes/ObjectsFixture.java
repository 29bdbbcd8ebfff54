package dev.slipway.kubernetes;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The traffic fixture model ({@code objects/traffic.yaml}) and the example's, loaded for an environment. */
final class ObjectsFixture {
  private ObjectsFixture() {}

  static Path traffic() {
    try {
      return Path.of(ObjectsFixture.class.getResource("/objects/traffic.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path shop() {
    Path p = Path.of("").toAbsolutePath();
    while (!java.nio.file.Files.exists(p.resolve("examples/shop/slipway.yaml"))) {
      p = p.getParent();
    }
    return p.resolve("examples/shop/slipway.yaml");
  }

  static ClusterObjects objects(Path model, String environment) {
    AppSpec app = ModelLoader.load(model, environment);
    var env = app.selectedEnvironment().orElseThrow();
    return new ClusterObjects(app, env, env.namespace());
  }

  /** Every service at release {@code releaseId} with its model image. */
  static List<HasMetadata> install(ClusterObjects objects, String releaseId) {
    Map<String, String> images = new LinkedHashMap<>();
    Map<String, String> releases = new LinkedHashMap<>();
    objects.app().services().values().forEach(s -> {
      images.put(s.name(), s.image());
      releases.put(s.name(), releaseId);
    });
    return objects.install(images, releases);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> tree(HasMetadata o) {
    return ClusterObjects.SERIALIZATION.convertValue(o, Map.class);
  }
}
