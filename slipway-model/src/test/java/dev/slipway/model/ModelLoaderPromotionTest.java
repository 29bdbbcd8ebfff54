package dev.slipway.model;

import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code environments.E.promotion} and {@code environments.E.protected}. */
class ModelLoaderPromotionTest {

  /** staging and production; {@code body} (indented by 4) is production's. */
  private static String model(String body) {
    return "name: shop\nenvironments:\n  staging:\n    target: kubernetes\n  production:\n    target: kubernetes\n"
        + body;
  }

  private static EnvironmentSpec production(String body) {
    return parse(model(body)).environments().get("production");
  }

  @Test
  void load_whenEveryKeyIsSet_bindsThemAll() {
    EnvironmentSpec env = production("    protected: true\n    promotion:\n      from: staging\n      soak: 1h30m\n"
        + "      approvals: 2\n      approvers: [release, admin]\n"
        + "      window: { days: Mon-Thu, hours: \"09:00-16:00\", timezone: Europe/Berlin }\n");

    assertThat(env.isProtected()).isTrue();
    assertThat(env.promotion()).isEqualTo(new PromotionSpec("staging", Duration.ofMinutes(90), 2,
        List.of("release", "admin"), new WindowSpec(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
            LocalTime.of(9, 0), LocalTime.of(16, 0), ZoneId.of("Europe/Berlin"))));
  }

  @Test
  void load_whenOnlyFromIsSet_defaultsToNoSoakNoApprovalsApproverRoleAndAnyTime() {
    EnvironmentSpec env = production("    promotion: { from: staging }\n");

    assertThat(env.promotion()).isEqualTo(new PromotionSpec("staging", Duration.ZERO, 0, List.of("approver"), null));
    assertThat(env.isProtected()).isFalse();
    assertThat(parse(model("")).environments().get("production").promotion()).isNull();
  }

  @Test
  void load_whenDaysAreAListOrCommasOrAWrappingRange_readsEachForm() {
    String window = "    promotion: { from: staging, window: { days: %s, hours: \"08:00-24:00\", timezone: UTC } }\n";

    assertThat(production(window.formatted("\"Mon,Wed,Fri\"")).promotion().window().days())
        .containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
    assertThat(production(window.formatted("[tue, Thursday]")).promotion().window().days())
        .containsExactlyInAnyOrder(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY);
    assertThat(production(window.formatted("Fri-Mon")).promotion().window().days())
        .containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
    WindowSpec everyDay = production("    promotion: { from: staging, window: { hours: \"08:00-24:00\", timezone: UTC } }\n")
        .promotion().window();
    assertThat(everyDay.days()).isEqualTo(Set.of(DayOfWeek.values()));
    assertThat(everyDay.closes()).isEqualTo(LocalTime.MAX);
  }

  @Test
  void load_whenFromIsMisspelt_suggestsTheNearestEnvironmentWithItsLocation() {
    assertThat(error(model("    promotion: { from: stagign }\n"))).isEqualTo(
        "slipway.yaml:7:24: environments.production.promotion.from: unknown environment `stagign`\n"
            + "    did you mean `staging`?");
    assertThat(error(model("    promotion: { from: production }\n"))).isEqualTo(
        "slipway.yaml:7:24: environments.production.promotion.from: `production` cannot be promoted from itself\n"
            + "    name the environment its releases come from: `staging`");
    assertThat(error(model("    promotion: { soak: 1h }\n"))).isEqualTo(
        "slipway.yaml:7:5: environments.production.promotion: missing required key `from`\n"
            + "    add `from: staging`, the environment whose verified releases are promoted here");
  }

  @Test
  void load_whenPromotionsFormACycle_reportsItOnceInTheDirectionReleasesFlow() {
    String yaml = "name: shop\nenvironments:\n  dev:\n    promotion: { from: production }\n"
        + "  staging:\n    promotion: { from: dev }\n  production:\n    promotion: { from: staging }\n"
        + "  qa:\n    promotion: { from: staging }\n";

    assertThat(error(yaml)).isEqualTo("slipway.yaml:4:24: environments.dev.promotion.from: promotion cycle: "
        + "dev → staging → production → dev\n"
        + "    remove `promotion:` from one of them; a chain of promotions starts at an environment that takes "
        + "direct deploys");
  }

  @Test
  void load_whenKeysAreWrong_namesEachWithItsPathAndFix() {
    assertThat(errors(model("    protected: yes\n    promotion:\n      from: staging\n      soak: 1\n"
        + "      approvals: -1\n      aprovers: [release]\n"))).containsExactly(
        "slipway.yaml:7:16: environments.production.protected: expected true or false, found `yes`\n"
            + "    write `true` or `false`",
        "slipway.yaml:10:13: environments.production.promotion.soak: duration `1` has no unit\n"
            + "    add a unit, e.g. `1s`",
        "slipway.yaml:11:18: environments.production.promotion.approvals: expected an integer from 0 to 100, found `-1`\n"
            + "    write how many approvals it needs, e.g. `approvals: 1` (0: none)",
        "slipway.yaml:12:7: environments.production.promotion.aprovers: unknown key `aprovers`\n"
            + "    did you mean `approvers`?");
  }

  @Test
  void load_whenApprovalsNeedSomeoneButApproversIsEmpty_saysWhoCouldApprove() {
    assertThat(error(model("    promotion: { from: staging, approvals: 1, approvers: [] }\n"))).isEqualTo(
        "slipway.yaml:7:58: environments.production.promotion.approvers: no role may approve, but `approvals: 1` "
            + "needs one approval\n    list the roles that may approve, e.g. `approvers: [release]`, or write `approvals: 0`");
    assertThat(production("    promotion: { from: staging, approvals: 0, approvers: [] }\n").promotion().approvers())
        .isEmpty();
  }

  @Test
  void load_whenProtectedHasNoPromotion_saysNothingCouldReachIt() {
    assertThat(error(model("    protected: true\n"))).isEqualTo(
        "slipway.yaml:7:5: environments.production.protected: `protected: true` refuses direct deploys, but "
            + "nothing is promoted into `production`\n"
            + "    add e.g. `promotion: { from: staging }` so releases reach it, or remove `protected:`");
  }

  @Test
  void load_whenWindowIsWrong_explainsDaysHoursAndTimeZone() {
    String yaml = model("    promotion:\n      from: staging\n      window:\n        days: Mon-Thr\n"
        + "        hours: \"22:00-02:00\"\n        timezone: Europe/Berln\n        open: true\n");

    assertThat(errors(yaml)).containsExactly(
        "slipway.yaml:10:15: environments.production.promotion.window.days: unknown day `Thr`\n"
            + "    did you mean `Thu`?",
        "slipway.yaml:11:16: environments.production.promotion.window.hours: the window closes at 02:00, before it opens\n"
            + "    write hours within one day, closing after opening, e.g. `\"09:00-16:00\"`; overnight windows "
            + "(e.g. `22:00-02:00`) are not supported yet",
        "slipway.yaml:12:19: environments.production.promotion.window.timezone: unknown time zone `Europe/Berln`\n"
            + "    did you mean `Europe/Berlin`?",
        "slipway.yaml:13:9: environments.production.promotion.window.open: unknown key `open`\n"
            + "    valid keys here: days, hours, timezone");
  }

  @Test
  void load_whenCommaSeparatedDaysAreUnquotedInAFlowMap_saysToQuoteThem() {
    assertThat(error(model("    promotion: { from: staging, window: { days: Mon,Wed,Fri, hours: \"09:00-16:00\", "
        + "timezone: UTC } }\n"))).isEqualTo(
        "slipway.yaml:7:53: environments.production.promotion.window.days: `Wed`, `Fri` read as keys: inside `{ }` "
            + "a comma ends the value of `days`\n"
            + "    quote the days, e.g. `days: \"Mon,Wed,Fri\"`, or write a list `days: [Mon, Wed, Fri]`");
  }

  @Test
  void load_whenHoursOrZoneDoNotParse_saysHowToWriteThem() {
    String window = "    promotion: { from: staging, window: { hours: %s, timezone: %s } }\n";

    assertThat(error(model(window.formatted("9-16", "UTC")))).isEqualTo(
        "slipway.yaml:7:50: environments.production.promotion.window.hours: expected hours like `\"09:00-16:00\"`, "
            + "found `9-16`\n    write `\"HH:MM-HH:MM\"` in 24-hour time, e.g. `hours: \"09:00-16:00\"`");
    assertThat(error(model(window.formatted("\"09:00-25:00\"", "UTC")))).contains(
        "window.hours: `09:00-25:00` is not a time of day");
    assertThat(error(model(window.formatted("\"09:00-09:00\"", "UTC")))).contains(
        "window.hours: the window closes at 09:00, when it opens");
    assertThat(error(model(window.formatted("\"09:00-16:00\"", "\"+01:00\"")))).isEqualTo(
        "slipway.yaml:7:75: environments.production.promotion.window.timezone: unknown time zone `+01:00`\n"
            + "    write an IANA time zone, e.g. `Europe/Berlin`, `America/New_York` or `UTC`");
    assertThat(errors(model("    promotion: { from: staging, window: { days: Mon } }\n"))).containsExactly(
        "slipway.yaml:7:33: environments.production.promotion.window: missing required key `hours`\n"
            + "    add `hours: \"09:00-16:00\"`, when the window opens and closes",
        "slipway.yaml:7:33: environments.production.promotion.window: missing required key `timezone`\n"
            + "    add `timezone: Europe/Berlin` (an IANA time zone; `UTC` works too)");
  }
}
