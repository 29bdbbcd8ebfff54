package dev.slipway.model;

import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** YAML-level problems: every one is a located ModelError, never another exception. */
class ModelLoaderSyntaxTest {

  @Test
  void load_whenReferenceUnquotedInsideFlowMap_reportsEveryOneAndSaysToQuoteIt() {
    Path file = fixture("shop-unquoted.yaml");

    ModelException e = catchThrowableOfType(ModelException.class, () -> ModelLoader.load(file, null));

    assertThat(e.errors()).extracting(ModelError::format).containsExactly(
        file + ":30:21: `${services.api.url}` must be quoted inside `{ }`\n"
            + "    write `\"${services.api.url}\"`, or put the entries on their own indented lines",
        file + ":36:26: `${resources.db.jdbcUrl}` must be quoted inside `{ }`\n"
            + "    write `\"${resources.db.jdbcUrl}\"`, or put the entries on their own indented lines",
        file + ":36:62: `${resources.cache.url}` must be quoted inside `{ }`\n"
            + "    write `\"${resources.cache.url}\"`, or put the entries on their own indented lines");
  }

  @Test
  void load_whenReferenceUnquotedInsideFlowList_saysToQuoteIt() {
    assertThat(error("name: shop\nservices:\n  api: { run: x, build: { command: x, inputs: [ ${a.b} ] } }\n"))
        .isEqualTo("slipway.yaml:3:49: `${a.b}` must be quoted inside `[ ]`\n"
            + "    write `\"${a.b}\"`, or put the items on their own indented lines");
  }

  @Test
  void load_whenUnquotedReferenceIsFollowedByAnotherSyntaxError_reportsBothAtTheirOwnColumns() {
    assertThat(errors("a: { x: ${a.b}, y: [1, 2 }\n")).containsExactly(
        "slipway.yaml:1:9: `${a.b}` must be quoted inside `{ }`\n"
            + "    write `\"${a.b}\"`, or put the entries on their own indented lines",
        "slipway.yaml:1:26: invalid YAML: expected ',' or ']', but got }\n"
            + "    close the list with `]`, and separate items with `,`");
  }

  @Test
  void load_whenBraceFollowsDollarMidValueInFlowMap_reportsTheSyntaxErrorOnce() {
    // found by fuzzing: quoting `${` in the middle of a value changes nothing, so it is not offered
    assertThat(error("a: [ { s$${x: 1 }, 2 ]\n")).isEqualTo("slipway.yaml:1:11: invalid YAML: expected ',' or '}', "
        + "but got {\n    inside `{ }` or `[ ]`, quote values that contain `{`, `}`, `[`, `]` or `,`");
  }

  @Test
  void load_whenReferenceUnquotedInBlockStyle_loads() {
    AppSpec app = Models.parse("""
        name: shop
        services:
          api:
            run: java -jar api.jar
            env:
              DB: ${resources.db.jdbcUrl}
        resources:
          db: { type: postgres }
        """);

    assertThat(app.service("api").env().get("DB").raw()).isEqualTo("${resources.db.jdbcUrl}");
  }

  @Test
  void load_whenTabIndents_saysToUseSpaces() {
    assertThat(error("name: shop\nservices:\n  api:\n\trun: x\n"))
        .isEqualTo("slipway.yaml:4:1: invalid YAML: a tab where YAML expects spaces\n    indent with spaces, not tabs");
  }

  @Test
  void load_whenIndentationSlips_pointsAtTheLine() {
    assertThat(error("name: shop\nservices:\n  api:\n    run: x\n   port: 1\n"))
        .isEqualTo("slipway.yaml:5:4: invalid YAML: expected <block end>, but found '<block mapping start>'\n"
            + "    check the indentation: the keys of one map must start in the same column");
  }

  @Test
  void load_whenValueHoldsColonSpace_saysToQuoteIt() {
    assertThat(error("name: shop\nservices:\n  api:\n    run: echo a: b\n"))
        .isEqualTo("slipway.yaml:4:16: invalid YAML: mapping values are not allowed here\n"
            + "    quote the value if it contains `: `, or put a nested map on its own indented lines");
  }

  @Test
  void load_whenQuoteNotClosed_saysToCloseIt() {
    assertThat(error("name: \"shop\n")).isEqualTo(
        "slipway.yaml:2:1: invalid YAML: found unexpected end of stream\n    close the quote");
  }

  @Test
  void load_whenKeyDuplicated_pointsAtTheSecondAndNamesTheFirstLine() {
    assertThat(error("name: shop\nservices:\n  api: { run: x }\n  api: { run: y }\n"))
        .isEqualTo("slipway.yaml:4:3: services.api: duplicate key `api`\n    remove one of them; the first is at line 3");
  }

  @Test
  void load_whenSeveralDocuments_saysThereMustBeOne() {
    assertThat(error("name: a\n---\nname: b\n")).isEqualTo("slipway.yaml:2:1: the file holds more than one YAML "
        + "document\n    remove the `---` line and what follows, or move it to a file of its own");
  }

  @Test
  void load_whenEmpty_saysHowToStart() {
    assertThat(error("# nothing yet\n"))
        .isEqualTo("slipway.yaml:1:1: the model file is empty\n    start with `name: my-app` and a `services:` map");
  }

  @Test
  void load_whenRootIsNotAMap_saysWhatWasFound() {
    assertThat(error("- a\n- b\n"))
        .isEqualTo("slipway.yaml:1:1: expected a map, found a list\n    a model file is a map; start it with `name: my-app`");
    assertThat(error("just text\n")).isEqualTo(
        "slipway.yaml:1:1: expected a map, found `just text`\n    a model file is a map; start it with `name: my-app`");
  }

  @Test
  void load_whenScalarLooksLikeABrokenFloat_treatsItAsText() {
    // SnakeYAML's constructor throws NumberFormatException on `._`; the loader never constructs
    assertThat(error("name: shop\nservices: { api: { run: x, replicas: ._ } }\n")).isEqualTo(
        "slipway.yaml:2:38: services.api.replicas: expected an integer, found `._`\n"
            + "    write the number of instances, e.g. `2`");
  }

  @Test
  void load_whenAliasRefersToItsOwnAncestor_rejectsTheCycle() {
    assertThat(error("name: shop\nservices: &s { api: *s }\n")).isEqualTo(
        "slipway.yaml:2:11: services.api: this value contains itself (alias `*s` inside `&s`)\n"
            + "    an alias must not refer to a map or list that encloses it");
  }

  @Test
  void load_whenAliasesExpandExponentially_stopsBeforeExpanding() {
    StringBuilder yaml = new StringBuilder("name: shop\nx-0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 5; i++) {
      yaml.append("x-").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
    }

    assertThat(error(yaml.toString())).isEqualTo("slipway.yaml:1:1: the aliases (`*name`) expand to more than 100000 "
        + "values\n    write the values out, or use fewer nested aliases");
  }

  @Test
  void load_whenTooManyAliases_pointsAtTheFirstOneOverTheLimit() {
    String yaml = "name: shop\nx-a: &a [1]\nx-b: [" + String.join(", ", java.util.Collections.nCopies(51, "*a")) + "]\n";

    assertThat(error(yaml)).isEqualTo("slipway.yaml:3:207: too many aliases (more than 50 `*name` references to maps "
        + "or lists)\n    write the values out instead of aliasing them");
  }

  @Test
  void load_whenNestedTooDeeply_pointsAtTheLevelOverTheLimit() {
    assertThat(error("name: shop\nx-deep: " + "[".repeat(100) + "]".repeat(100) + "\n")).isEqualTo(
        "slipway.yaml:2:48: too deeply nested (more than 40 levels)\n"
            + "    a model needs fewer than 10 levels; check for unclosed `[` or `{`");
  }

  @Test
  void load_whenFileIsHuge_refusesBeforeParsing() {
    assertThat(error("name: shop\n" + "#".repeat(1_000_001))).isEqualTo("slipway.yaml:1:1: the file is too large (over "
        + "1000000 characters)\n    a model file is usually a few hundred lines; check that this is the right file");
  }

  @Test
  void load_whenControlCharacter_pointsAtIt() {
    assertThat(error("name: shop\nservices: x\u0001\n")).isEqualTo("slipway.yaml:2:12: character U+0001 is not "
        + "allowed in YAML\n    remove it, or write it as an escape (`\\u…`) inside double quotes");
  }

  @Test
  void load_whenUndefinedAlias_saysToDefineTheAnchor() {
    assertThat(error("name: *n\n")).isEqualTo("slipway.yaml:1:7: invalid YAML: found undefined alias n\n"
        + "    define the anchor (`&name`) before the alias (`*name`)");
  }

  @Test
  void load_whenKeyIsAList_saysKeysAreNames() {
    assertThat(error("name: shop\n? [a, b]\n: x\n"))
        .isEqualTo("slipway.yaml:2:3: expected a key name, found a list\n    write `name: value`");
  }
}
