package dev.slipway.router;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void parse_readsNestedValues_inOrder() throws Exception {
        Object v = Json.parse(" {\"b\": [1, -2.5, true, null, \"x\\u00e9\\n\"], \"a\": {\"n\": 12345678901234}} ");
        assertThat(v).isEqualTo(Map.of("b", java.util.Arrays.asList(1L, new BigDecimal("-2.5"), true, null, "xé\n"),
                "a", Map.of("n", 12345678901234L)));
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) v).keySet())).containsExactly("b", "a");
    }

    @Test
    void parse_rejectsWhatLenientParsersAccept() {
        for (String bad : List.of("{\"a\":1,}", "[1,]", "{\"a\":1 \"b\":2}", "{'a':1}", "// c\n{}", "{\"a\":01}",
                "{\"a\":1}{}", "{\"a\":\"tab\there\"}", "{\"a\":NaN}", "{\"a\":.5}", "{\"a\":\"\\x\"}", "")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.SyntaxException.class);
        }
    }

    @Test
    void parse_rejectsDuplicateKeys_namingTheKeyAndPosition() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"a\": 2\n}"))
                .hasMessage("line 3, column 3: duplicate key \"a\"");
    }

    @Test
    void parse_errorSaysLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n \"services\": {\n   \"api\": [1 2]\n }\n}"))
                .hasMessage("line 3, column 14: unexpected character '2', expected ',' or ']'");
    }

    @Test
    void parse_rejectsDeepNesting() {
        assertThatThrownBy(() -> Json.parse("[".repeat(100) + "]".repeat(100)))
                .hasMessageContaining("nesting deeper than 64");
    }

    @Test
    void write_escapesAndRoundTrips() throws Exception {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("s", "quote\" backslash\\ newline\n ctrl\u0001");
        m.put("n", 7L);
        m.put("l", List.of(true, false));
        m.put("z", null);
        String json = Json.write(m);
        assertThat(json).isEqualTo("{\"s\":\"quote\\\" backslash\\\\ newline\\n ctrl\\u0001\",\"n\":7,\"l\":[true,false],\"z\":null}");
        assertThat(Json.parse(json)).isEqualTo(m);
    }
}
