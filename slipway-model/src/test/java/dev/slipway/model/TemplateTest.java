package dev.slipway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateTest {

  @Test
  void parse_whenReferencesAndText_splitsIntoParts() {
    Template t = Template.parse("jdbc:${resources.db.jdbcUrl}?user=${secrets.user}");

    assertThat(t.parts()).containsExactly(
        new Template.Literal("jdbc:"),
        new Template.Ref(new Reference(Reference.Kind.RESOURCES, "db", "jdbcUrl")),
        new Template.Literal("?user="),
        new Template.Ref(new Reference(Reference.Kind.SECRETS, "user", null)));
  }

  @Test
  void parse_whenShellSyntax_leavesItAsText() {
    Template t = Template.parse("$PORT ${PORT} ${HOME:-/tmp} $${resources.x.url}");

    assertThat(t.references()).isEmpty();
    assertThat(t.render(r -> "?")).isEqualTo("$PORT ${PORT} ${HOME:-/tmp} ${resources.x.url}");
  }

  @Test
  void render_replacesEachReference() {
    assertThat(Template.parse("${services.api.host}:${services.api.port}").render(r -> r.attribute()))
        .isEqualTo("host:port");
  }

  @Test
  void sensitive_whenPasswordOrSecret_isTrue() {
    assertThat(Template.parse("${resources.db.password}").sensitive()).isTrue();
    assertThat(Template.parse("${secrets.x}").sensitive()).isTrue();
    assertThat(Template.parse("${resources.db.host}").sensitive()).isFalse();
  }

  @Test
  void parse_whenNamespaceMisspelt_pointsAtTheDollarAndSuggests() {
    Template.TemplateSyntaxException e = catchThrowableOfType(Template.TemplateSyntaxException.class,
        () -> Template.parse("x ${resource.db.url}"));

    assertThat(e.offset()).isEqualTo(2);
    assertThat(e.getMessage()).isEqualTo("unknown reference namespace `resource` in `${resource.db.url}`");
    assertThat(e.hint()).isEqualTo("did you mean `resources`?");
  }

  @Test
  void parse_whenAttributeMissing_showsTheForm() {
    Template.TemplateSyntaxException e = catchThrowableOfType(Template.TemplateSyntaxException.class,
        () -> Template.parse("${services.api}"));

    assertThat(e.getMessage()).isEqualTo("malformed reference `${services.api}`");
    assertThat(e.hint()).isEqualTo("write it as `${services.NAME.url}` where the attribute is one of url, host, port");
  }

  @Test
  void parse_whenNotClosed_saysSo() {
    Template.TemplateSyntaxException e = catchThrowableOfType(Template.TemplateSyntaxException.class,
        () -> Template.parse("a ${secrets.x"));

    assertThat(e.offset()).isEqualTo(2);
    assertThat(e.hint()).isEqualTo("add the closing `}`");
  }

  @Test
  void referenceOffsets_matchTheReferencesInOrder() {
    String raw = "$${resources.a.url} ${resources.b.url}-${secrets.c} ${HOME}";

    assertThat(Template.parse(raw).references()).extracting(Reference::name).containsExactly("b", "c");
    assertThat(Template.referenceOffsets(raw)).containsExactly(20, 39);
  }

  @Test
  void literal_hasNoReferences() {
    assertThat(Template.literal("${resources.db.url}").parts()).containsExactly(new Template.Literal("${resources.db.url}"));
    assertThat(Template.literal("").parts()).isEqualTo(List.of());
  }
}
