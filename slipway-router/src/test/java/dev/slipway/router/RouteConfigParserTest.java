package dev.slipway.router;

import dev.slipway.router.RouteConfig.BackendState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteConfigParserTest {
    static final String EXAMPLE = """
            {
              "generation": 7,
              "services": {
                "api": {
                  "listen": 41000,
                  "backends": [
                    {"id": "api-r1-1", "version": "r1", "port": 42001, "state": "active"},
                    {"id": "api-r2-1", "version": "r2", "port": 42002, "state": "draining"}
                  ],
                  "weights": {"r1": 90, "r2": 10},
                  "sticky": {"header": "X-User-Id", "cookie": "session"},
                  "drainTimeoutMs": 30000
                }
              }
            }""";

    @Test
    void parse_readsTheDocumentedExample() throws Exception {
        RouteConfig c = RouteConfigParser.parse(EXAMPLE);
        assertThat(c.generation()).isEqualTo(7);
        RouteConfig.ServiceConfig api = c.services().get("api");
        assertThat(api.listen()).isEqualTo(41000);
        assertThat(api.backends()).extracting(RouteConfig.BackendConfig::state)
                .containsExactly(BackendState.ACTIVE, BackendState.DRAINING);
        assertThat(api.weights()).containsExactly(java.util.Map.entry("r1", 90), java.util.Map.entry("r2", 10));
        assertThat(api.sticky()).isEqualTo(new RouteConfig.Sticky("X-User-Id", "session"));
    }

    @Test
    void toJson_roundTrips() throws Exception {
        RouteConfig c = RouteConfigParser.parse(EXAMPLE);
        assertThat(RouteConfigParser.parse(Json.write(c.toJson()))).isEqualTo(c);
    }

    @Test
    void parse_withoutGeneration_leavesItUnset_andDefaultsStateAndDrain() throws Exception {
        RouteConfig c = RouteConfigParser.parse("""
                {"services": {"web": {"listen": 41001, "backends": [{"id": "w", "version": "r1", "port": 42001}]}}}""");
        assertThat(c.generation()).isEqualTo(-1);
        assertThat(c.services().get("web").backends().getFirst().state()).isEqualTo(BackendState.ACTIVE);
        assertThat(c.services().get("web").drainTimeoutMs()).isEqualTo(30_000);
    }

    @Test
    void pinningAndVersionHeader_defaultToOn_areWrittenOnlyWhenOff_andMustBeBooleans() throws Exception {
        RouteConfig on = RouteConfigParser.parse("""
                {"services": {"web": {"listen": 41001, "backends": []}}}""");
        assertThat(on.services().get("web").pinning()).isTrue();
        assertThat(on.services().get("web").versionHeader()).isTrue();
        assertThat(Json.write(on.toJson())).doesNotContain("pinning").doesNotContain("versionHeader");
        RouteConfig off = RouteConfigParser.parse("""
                {"generation": 3, "services": {"web": {"listen": 41001, "backends": [], "pinning": false,
                 "versionHeader": false}}}""");
        assertThat(off.services().get("web").pinning()).isFalse();
        assertThat(off.services().get("web").versionHeader()).isFalse();
        assertThat(RouteConfigParser.parse(Json.write(off.toJson()))).isEqualTo(off);
        assertThatThrownBy(() -> RouteConfigParser.parse("""
                {"services": {"web": {"listen": 41001, "backends": [], "pinning": "no"}}}"""))
                .isInstanceOfSatisfying(RouterException.class, e -> assertThat(e.details())
                        .containsExactly("services.web.pinning: expected true or false, got a string"));
    }

    @Test
    void unknownKeys_areRejected_withASuggestion() {
        assertThatThrownBy(() -> RouteConfigParser.parse("""
                {"services": {"api": {"listen": 41000, "backends": [], "weigths": {}}}}"""))
                .isInstanceOfSatisfying(RouterException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("invalid-config");
                    assertThat(e.details()).singleElement().asString()
                            .startsWith("services.api.weigths: unknown key; did you mean `weights`?");
                });
    }

    @Test
    void everyProblemIsReported_withItsPath() {
        assertThatThrownBy(() -> RouteConfigParser.parse("""
                {"services": {
                  "api": {"listen": 41000, "backends": [{"id": "a", "version": "r1", "port": 42001}]},
                  "web": {"listen": 41000, "backends": []},
                  "worker": {"listen": 41002, "backends": [
                     {"id": "w", "version": "r1", "port": 70000},
                     {"id": "w", "version": "r1", "port": 42002, "state": "sleeping"}]},
                  "bad name": {"listen": 1, "backends": []}
                }}"""))
                .isInstanceOfSatisfying(RouterException.class, e -> assertThat(e.details()).containsExactlyInAnyOrder(
                        "services.worker.backends[0].port: 70000 is out of range; expected 1..65535",
                        "services.worker.backends[1].state: \"sleeping\" is not a state; use \"active\" or \"draining\"",
                        "services.web.listen: port 41000 is already the listen port of service api",
                        "services.bad name: invalid service name; use letters, digits, '.', '_' and '-' (at most 63)"));
    }

    @Test
    void duplicateIds_andPorts_inOneService_areRejected() {
        assertThatThrownBy(() -> RouteConfigParser.parse("""
                {"services": {"api": {"listen": 41000, "backends": [
                   {"id": "a", "version": "r1", "port": 42001}, {"id": "a", "version": "r1", "port": 42001}]}}}"""))
                .isInstanceOfSatisfying(RouterException.class, e -> assertThat(e.details()).containsExactly(
                        "services.api.backends[1].id: \"a\" is also the id of backends[0]; ids must be unique",
                        "services.api.backends[1].port: 42001 is already the port of backend a"));
    }

    @Test
    void weights_mustAddUpTo100_overVersionsWithActiveBackends() {
        assertThatThrownBy(() -> RouteConfigParser.parse("""
                {"services": {"api": {"listen": 41000, "backends": [
                   {"id": "a", "version": "r1", "port": 42001}, {"id": "b", "version": "r2", "port": 42002}],
                   "weights": {"r1": 90, "r2": 20}}}}"""))
                .hasMessageContaining("services.api.weights: they add up to 110 (110 over the versions with active backends: r1, r2); "
                        + "they must add up to 100");
    }

    @Test
    void weights_mayAddUpTo100_eitherOverAllVersions_orOverTheActiveOnes() throws Exception {
        String drainingR1 = """
                {"services": {"api": {"listen": 41000, "backends": [
                   {"id": "a", "version": "r1", "port": 42001, "state": "draining"}, {"id": "b", "version": "r2", "port": 42002}],
                   "weights": %s}}}""";
        assertThat(RouteConfigParser.parse(drainingR1.formatted("{\"r1\": 50, \"r2\": 100}")).services()).containsKey("api");
        assertThat(RouteConfigParser.parse(drainingR1.formatted("{\"r1\": 50, \"r2\": 50}")).services()).containsKey("api");
        assertThatThrownBy(() -> RouteConfigParser.parse(drainingR1.formatted("{\"r1\": 50, \"r2\": 40}")))
                .hasMessageContaining("they add up to 90 (40 over the versions with active backends: r2)");
    }

    @Test
    void weights_missing_withTwoActiveVersions_isAnError_withAnExample() {
        assertThatThrownBy(() -> RouteConfigParser.parse("""
                {"services": {"api": {"listen": 41000, "backends": [
                   {"id": "a", "version": "r1", "port": 42001}, {"id": "b", "version": "r2", "port": 42002}]}}}"""))
                .hasMessageContaining("services.api.weights: missing, but versions r1, r2 all have active backends; "
                        + "say how to split the traffic, e.g. {\"r1\": 100, \"r2\": 0}");
    }

    @Test
    void weights_forAnUnknownVersion_isAnError() {
        assertThatThrownBy(() -> RouteConfigParser.parse("""
                {"services": {"api": {"listen": 41000, "backends": [{"id": "a", "version": "r1", "port": 42001}],
                   "weights": {"r1": 100, "r3": 0}}}}"""))
                .hasMessageContaining("services.api.weights.r3: no backend has version \"r3\"");
    }

    @Test
    void aBackendOnAListenPort_wouldLoop_andIsRejected() {
        assertThatThrownBy(() -> RouteConfigParser.parse("""
                {"services": {"api": {"listen": 41000, "backends": [{"id": "a", "version": "r1", "port": 41000}]}}}"""))
                .hasMessageContaining("services.api.backends[0].port: 41000 is the listen port of service api");
    }

    @Test
    void wrongTypes_sayWhatWasExpected() {
        assertThatThrownBy(() -> RouteConfigParser.parse("""
                {"generation": "7", "services": {"api": {"listen": 41000.5, "backends": {}, "sticky": {}}}}"""))
                .isInstanceOfSatisfying(RouterException.class, e -> assertThat(e.details()).containsExactlyInAnyOrder(
                        "generation: expected an integer, got a string",
                        "services.api.listen: expected an integer, got 41000.5",
                        "services.api.backends: expected an array, got an object",
                        "services.api.sticky: give \"header\", \"cookie\" or both, or remove \"sticky\""));
    }

    @Test
    void syntaxErrors_areA400_withLineAndColumn() {
        assertThatThrownBy(() -> RouteConfigParser.parse("{\"services\": {,}}"))
                .isInstanceOfSatisfying(RouterException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.title()).isEqualTo("Route configuration is not valid JSON");
                    assertThat(e.details()).containsExactly("line 1, column 15: unexpected character ',', expected a key in double quotes");
                });
    }
}
