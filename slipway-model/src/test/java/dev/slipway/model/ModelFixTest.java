package dev.slipway.model;

import static dev.slipway.model.Models.FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every edit the loader suggests as a fix is itself valid: applied to the text, the model loads. The
 * corpus holds models with exactly one error each and covers every {@link ModelFix.Kind}, so a new
 * place that offers a fix must bring a model here.
 */
class ModelFixTest {

  /**
   * A model with one error whose fix is of {@code kind}.
   *
   * @param environment what a command would load it with; {@code null} for {@code slipway validate}
   */
  record Broken(ModelFix.Kind kind, String yaml, String environment) {
    Broken(ModelFix.Kind kind, String yaml) {
      this(kind, yaml, null);
    }

    @Override
    public String toString() {
      return kind.id() + ": " + yaml.replace("\n", "⏎");
    }
  }

  private static final String DB = "resources:\n  db: { type: postgres }\n";
  private static final String QUERY = "    strategy:\n      canary:\n        steps:\n          - analysis:\n"
      + "              queries:\n                - { name: q, query: \"%s\", max: %s }\n";

  static List<Broken> corpus() {
    return List.of(
        new Broken(ModelFix.Kind.KEY, "name: shop\nservices:\n  api:\n    run: x\n    helth: { ready: /r }\n"),
        new Broken(ModelFix.Kind.KEY, "name: shop\nservices:\n  api: { run: x, prot: 8080 }\n"),
        new Broken(ModelFix.Kind.VALUE, "name: shop\nresources:\n  db: { type: postgre }\n"),
        new Broken(ModelFix.Kind.VALUE, "name: shop\nservices:\n  api: { run: x, dependsOn: { db: helthy } }\n" + DB),
        new Broken(ModelFix.Kind.REFERENCE_NAMESPACE,
            "name: shop\nservices:\n  api:\n    run: x\n    env:\n      DB: jdbc ${resource.db.url}\n" + DB),
        new Broken(ModelFix.Kind.REFERENCE_NAMESPACE, "name: shop\nservices:\n  api:\n    port: 1\n"
            + "    run: \"java -Dport=${slef.port}\"\n"),
        new Broken(ModelFix.Kind.REFERENCE_ATTRIBUTE,
            "name: shop\nservices:\n  api: { run: x, env: { DB: '${resources.db.jdbcURL}' } }\n" + DB),
        new Broken(ModelFix.Kind.REFERENCE_ATTRIBUTE,
            "name: shop\nservices:\n  api:\n    run: x\n    port: 80\n    env:\n      P: ${self.prot}\n"),
        new Broken(ModelFix.Kind.REFERENCE_NAME,
            "name: shop\nservices:\n  api:\n    run: x\n    env:\n      DB: ${resources.dbb.jdbcUrl}\n" + DB),
        new Broken(ModelFix.Kind.REFERENCE_NAME, "name: shop\nservices:\n  web:\n    run: x\n"
            + "    env: { API: \"http://${services.apl.host}:1\" }\n  api: { run: y, port: 1 }\n"),
        new Broken(ModelFix.Kind.SECRET_DECLARE,
            "name: shop\nservices:\n  api:\n    run: x\n    env: { KEY: \"${secrets.stripeKey}\" }\n"),
        new Broken(ModelFix.Kind.SECRET_DECLARE, "name: shop\nsecrets:\n  other: env:OTHER\nservices:\n  api:\n"
            + "    run: x\n    env:\n      KEY: ${secrets.stripeKey}\n      O: ${secrets.other}\n"),
        new Broken(ModelFix.Kind.SERVICE_PORT, "name: shop\nservices:\n  web:\n    run: x\n"
            + "    env: { API: \"${services.worker.url}\" }\n  worker:\n    run: y\n"),
        new Broken(ModelFix.Kind.SERVICE_PORT, "name: shop\nservices:\n  web:\n    run: x ${services.worker.port}\n"
            + "  worker: { run: y }\n"),
        new Broken(ModelFix.Kind.INGRESS_PORT,
            "name: shop\nservices:\n  api:\n    run: x\n    ingress: { host: shop.example.com }\n"),
        new Broken(ModelFix.Kind.SELF_NEEDS_PORT,
            "name: shop\nservices:\n  api:\n    run: x\n    env:\n      SERVER_PORT: ${self.port}\n"),
        new Broken(ModelFix.Kind.INGRESS_PORT,
            "name: shop\nservices:\n  api:\n    run: x\n    ingress: { host: shop.example.com }\n"),
        new Broken(ModelFix.Kind.SELF_NEEDS_PORT, "name: shop\nservices:\n  api: { run: \"x --port=${self.port}\" }\n"),
        new Broken(ModelFix.Kind.SELF_PORT,
            "name: shop\nservices:\n  api:\n    run: x\n    port: 8080\n    env:\n      SERVER_PORT: ${PORT}\n"),
        new Broken(ModelFix.Kind.SELF_PORT, "name: shop\nservices:\n  api:\n    run: x\n    port: 8080\n"
            + "    env: { URL: \"http://localhost:${SERVER_PORT}/x\" }\n"),
        new Broken(ModelFix.Kind.SECRET_REFERENCE, "name: shop\nsecrets:\n  stripe: env:STRIPE_KEY\nservices:\n"
            + "  api:\n    run: x\n    env:\n      KEY: ${STRIPE_KEY}\n"),
        new Broken(ModelFix.Kind.DEPENDENCY, "name: shop\nservices:\n  api: { run: x, dependsOn: [dbb] }\n" + DB),
        new Broken(ModelFix.Kind.DEPENDENCY,
            "name: shop\nservices:\n  api:\n    run: x\n    dependsOn:\n      dbb: healthy\n" + DB),
        new Broken(ModelFix.Kind.OVERLAY_NAME, "name: shop\nservices:\n  api: { run: x }\nenvironments:\n"
            + "  dev: { services: { apl: { replicas: 2 } } }\n"),
        new Broken(ModelFix.Kind.ENVIRONMENT_DEV,
            "name: shop\nservices:\n  api: { run: x }\nenvironments:\n  staging: { target: kubernetes }\n"),
        new Broken(ModelFix.Kind.ENVIRONMENT_DEV,
            "name: shop\nservices:\n  api: { run: x }\nenvironments: { production: { target: kubernetes } }\n"),
        new Broken(ModelFix.Kind.ENVIRONMENT_ADD, "name: shop\nservices:\n  api: { run: x }\n", "staging"),
        new Broken(ModelFix.Kind.ENVIRONMENT_ADD, "name: shop\nservices:\n  api: { run: x }\nenvironments: {}\n",
            "staging"),
        new Broken(ModelFix.Kind.TARGET_LOCAL,
            "name: shop\nservices:\n  api: { run: x }\nenvironments:\n  dev:\n    target: kubernetes\n"),
        new Broken(ModelFix.Kind.DURATION_UNIT, "name: shop\nservices:\n  api:\n    run: x\n    port: 1\n"
            + "    health: { ready: /r, interval: 30 }\n"),
        new Broken(ModelFix.Kind.UNQUOTE_NUMBER, "name: shop\nservices:\n  api:\n    run: x\n    port: \"8080\"\n"),
        new Broken(ModelFix.Kind.UNQUOTE_NUMBER, "name: shop\nservices:\n  api:\n    run: x\n    port: 1\n"
            + QUERY.formatted("up", "'0.5'") + "resources: { metrics: { type: prometheus } }\n"),
        new Broken(ModelFix.Kind.PATH_SLASH,
            "name: shop\nservices:\n  api:\n    run: x\n    port: 1\n    health:\n      ready: health/ready\n"),
        new Broken(ModelFix.Kind.PLACEHOLDER, "name: shop\nservices:\n  api:\n    run: x\n    port: 1\n"
            + QUERY.formatted("sum(rate(x{s='{{servce}}'}[1m]))", "1") + "resources: { metrics: { type: prometheus } }\n"),
        new Broken(ModelFix.Kind.PLACEHOLDER, "name: shop\nenvironments:\n  dev: {}\n  prod:\n    target: kubernetes\n"
            + "    prometheus: { url: http://p:9090, requests: 'sum(x{ns=\"{{namspace}}\"})' }\n"),
        new Broken(ModelFix.Kind.KEY, "name: shop\nenvironments:\n  dev: {}\n  prod:\n    target: kubernetes\n"
            + "    gitops: { repo: x, brnach: main }\n"),
        new Broken(ModelFix.Kind.VALUE, "name: shop\nenvironments:\n  dev: {}\n  prod:\n    target: kubernetes\n"
            + "    prometheus: { url: http://p:9090, metrics: envoy-gatway }\n"),
        new Broken(ModelFix.Kind.QUERY_PERCENT, "name: shop\nservices:\n  api:\n    run: x\n    port: 1\n"
            + QUERY.formatted("up", "2.5%") + "resources: { metrics: { type: prometheus } }\n"),
        new Broken(ModelFix.Kind.SECRET_SOURCE, "name: shop\nsecrets:\n  stripe: STRIPE_KEY\n"),
        new Broken(ModelFix.Kind.QUOTE_REFERENCE,
            "name: shop\nservices:\n  api: { run: x, env: { DB: ${resources.db.url}, X: y } }\n" + DB),
        new Broken(ModelFix.Kind.QUOTE_REFERENCE,
            "name: shop\nservices:\n  api: { run: x, dependsOn: [db], env: { A: ${resources.db.host}, B: b } }\n" + DB),
        new Broken(ModelFix.Kind.ENV_EMPTY, "name: shop\nservices:\n  api:\n    run: x\n    env:\n      NAME:\n"),
        new Broken(ModelFix.Kind.ENV_EMPTY, "name: shop\nservices:\n  api:\n    run: x\n    env: { NAME: ~ }\n"),
        new Broken(ModelFix.Kind.PROMETHEUS, "name: shop\nservices:\n  api:\n    run: x\n    port: 1\n"
            + QUERY.formatted("up", "1")),
        new Broken(ModelFix.Kind.PROMETHEUS, "name: shop\nservices:\n  api:\n    run: x\n    port: 1\n"
            + QUERY.formatted("up", "1") + DB),
        new Broken(ModelFix.Kind.STRATEGY_SHAPE, "name: shop\nservices:\n  api: { run: x, strategy: blueGreen }\n"),
        new Broken(ModelFix.Kind.NAME, "name: My Shop\nservices:\n  api: { run: x }\n"),
        new Broken(ModelFix.Kind.NAME, "name: shop\nenvironments:\n  dev: {}\n  Staging: { target: kubernetes }\n"));
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void fix_applied_makesTheModelLoad(Broken b) {
    List<ModelError> errors = errors(b.yaml(), b.environment());
    assertThat(errors).as("errors of\n%s", b.yaml()).hasSize(1);
    ModelFix fix = errors.getFirst().fix();
    assertThat(fix).as("fix of %s", errors.getFirst().format()).isNotNull();
    assertThat(fix.kind()).isEqualTo(b.kind());

    String fixed = fix.applyTo(b.yaml());

    assertThat(errors(fixed, b.environment())).as("errors after the fix, in\n%s", fixed).isEmpty();
    assertThat(ModelLoader.validateAll(fixed, FILE)).as("validate after the fix, in\n%s", fixed).isEmpty();
    assertThatCode(() -> ModelLoader.parse(fixed, FILE, b.environment() == null ? "dev" : b.environment(),
        b.environment() == null)).doesNotThrowAnyException();
  }

  @Test
  void corpus_coversEveryKindOfFix() {
    Set<ModelFix.Kind> covered = corpus().stream().map(Broken::kind).collect(Collectors.toSet());

    assertThat(covered).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(ModelFix.Kind.class));
  }

  @Test
  void kindIds_areUniqueAndLowercase() {
    List<String> ids = Stream.of(ModelFix.Kind.values()).map(ModelFix.Kind::id).toList();

    assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[a-z]+(-[a-z]+)*"));
  }

  /**
   * Beyond the corpus: each fix the loader offers for the fixtures, the fuzzing inputs and models
   * with several errors removes its error and adds none.
   */
  @ParameterizedTest
  @MethodSource("manyErrors")
  void eachFix_removesItsErrorAndAddsNone(String yaml) {
    List<ModelError> before = ModelLoader.validateAll(yaml, FILE);
    for (ModelError e : before) {
      if (e.fix() == null) {
        continue;
      }
      List<ModelError> after = ModelLoader.validateAll(e.fix().applyTo(yaml), FILE);
      assertThat(after).extracting(ModelFixTest::key).as("after fixing %s", e.format())
          .doesNotContain(key(e)).isSubsetOf(before.stream().map(ModelFixTest::key).toList());
    }
  }

  @Test
  void applyAll_makesEveryNonOverlappingEdit_andEditsReachedByTwoAliasesOnce() {
    String yaml = "x-a: &a { helth: { ready: /r }, run: x }\nname: shop\nservices:\n  api: *a\n  web: *a\n"
        + "  w: { run: x, prot: 1 }\n";
    List<ModelError> errors = ModelLoader.validateAll(yaml, FILE);
    assertThat(errors).hasSizeGreaterThanOrEqualTo(2).allMatch(e -> e.fix() != null);

    String fixed = ModelFix.applyAll(yaml, errors.stream().map(ModelError::fix).toList());

    assertThat(fixed).contains("{ health: { ready: /r }, run: x }").contains("port: 1");
    assertThat(ModelLoader.validateAll(fixed, FILE)).isEmpty();
  }

  @Test
  void applyTo_countsCodePoints_andKeepsAByteOrderMark() {
    String yaml = "\uFEFFname: shop\nservices:\n  api: { run: \"echo 😀\", helth: { ready: /r } }\n";
    ModelError e = ModelLoader.validateAll(yaml, FILE).getFirst();

    String fixed = e.fix().applyTo(yaml);

    assertThat(fixed).isEqualTo("\uFEFFname: shop\nservices:\n  api: { run: \"echo 😀\", health: { ready: /r } }\n");
  }

  static Stream<String> manyErrors() throws IOException {
    List<String> out = new ArrayList<>();
    corpus().forEach(b -> out.add(b.yaml()));
    out.add("name: shop\nservices:\n  api: { run: x, env: { A: ${resources.db.host}, B: ${resources.dbb.port} } }\n"
        + "  web: { env: { C: ${resources.db.url} }, run: y, dependsOn: [ab] }\n" + DB);
    out.add(String.join("", corpus().stream().filter(b -> b.environment() == null).map(Broken::yaml)
        .map(y -> y.replaceFirst("^name: [^\n]*\n", "")).toList()));
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources"))) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        out.add(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      }
    }
    return out.stream();
  }

  /** What identifies an error across edits that move it: everything but the location. */
  private static String key(ModelError e) {
    return e.path() + ": " + e.message() + " / " + e.hint();
  }

  private static List<ModelError> errors(String yaml, String environment) {
    if (environment == null) {
      return ModelLoader.validateAll(yaml, FILE);
    }
    try {
      ModelLoader.parse(yaml, FILE, environment);
      return List.of();
    } catch (ModelException e) {
      return e.errors();
    }
  }
}
