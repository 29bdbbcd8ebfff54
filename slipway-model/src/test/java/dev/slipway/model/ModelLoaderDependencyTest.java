package dev.slipway.model;

import static dev.slipway.model.Models.app;
import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code dependsOn:} names and cycles. */
class ModelLoaderDependencyTest {

  @Test
  void load_whenDependencyUnknown_suggestsTheClosestName() {
    assertThat(error(app("  api: { run: x, dependsOn: [dbb] }\nresources: { db: { type: postgres } }\n")))
        .isEqualTo("slipway.yaml:3:30: services.api.dependsOn[0]: unknown service or resource `dbb`\n"
            + "    did you mean `db`?");
  }

  @Test
  void load_whenDependencyUnknownAndNothingClose_listsTheNames() {
    assertThat(error(app("  api: { run: x, dependsOn: { queue: healthy } }\n"))).isEqualTo("slipway.yaml:3:31: "
        + "services.api.dependsOn.queue: unknown service or resource `queue`\n    name one of `api`");
  }

  @Test
  void load_whenServicesDependOnEachOther_reportsOneCycleAtTheClosingEntry() {
    assertThat(errors(app("  api:\n    run: x\n    dependsOn: [web]\n  web:\n    run: y\n    dependsOn: [worker]\n"
        + "  worker:\n    run: z\n    dependsOn: { api: started }\n"))).containsExactly(
        "slipway.yaml:11:18: services.worker.dependsOn.api: dependency cycle: api → web → worker → api\n"
            + "    remove one of these dependencies");
  }

  @Test
  void load_whenServiceDependsOnItself_reportsItAsACycle() {
    assertThat(error(app("  api: { run: x, dependsOn: [api] }\n"))).isEqualTo("slipway.yaml:3:30: "
        + "services.api.dependsOn[0]: dependency cycle: api → api\n    a service cannot depend on itself; remove this entry");
  }

  @Test
  void load_whenDependencyListedTwice_asksToRemoveOne() {
    assertThat(error(app("  api: { run: x, dependsOn: [db, db] }\nresources: { db: { type: redis } }\n")))
        .isEqualTo("slipway.yaml:3:34: services.api.dependsOn[1]: `db` is listed twice\n    remove one of them");
  }

  @Test
  void load_whenDiamondDependencies_acceptsThem() {
    AppSpec app = Models.parse(app("  a: { run: x, dependsOn: [b, c] }\n  b: { run: x, dependsOn: [d] }\n"
        + "  c: { run: x, dependsOn: [d] }\n  d: { run: x }\n"));

    assertThat(app.services()).hasSize(4);
  }

  @Test
  void load_whenThousandsOfServicesChained_checksWithoutRecursing() {
    StringBuilder yaml = new StringBuilder("name: shop\nservices:\n");
    for (int i = 0; i < 5000; i++) {
      yaml.append("  s").append(i).append(": { run: x, dependsOn: [s").append(i + 1).append("] }\n");
    }
    yaml.append("  s5000: { run: x, dependsOn: [s0] }\n");

    assertThat(errors(yaml.toString())).singleElement().asString()
        .startsWith("slipway.yaml:5003:32: services.s5000.dependsOn[0]: dependency cycle: s0 → s1 → s2");
  }
}
