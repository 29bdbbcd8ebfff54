package dev.slipway.plan.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.PromotionSpec;
import dev.slipway.model.WindowSpec;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromotionGatesTest {
  /** Monday 7 December 2026, 12:00 in Berlin. */
  private static final Instant NOW = Instant.parse("2026-12-07T11:00:00Z");
  private static final WindowSpec OFFICE = new WindowSpec(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
      LocalTime.of(9, 0), LocalTime.of(16, 0), ZoneId.of("Europe/Berlin"));
  private static final PromotionSpec ONE_FROM_RELEASE = new PromotionSpec("staging", Duration.ofHours(1), 1,
      List.of("release"), null);
  private static final Approval BOB = new Approval("bob", List.of("release"), Approval.APPROVED, null);

  private static ReleaseFacts api(Duration liveFor) {
    return new ReleaseFacts("api", "r3", "registry.local/api@sha256:abc", "live", NOW.minus(liveFor), "passed", null);
  }

  private static Gate gate(GateReport report, String name) {
    return report.gates().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  private static GateReport evaluate(PromotionSpec spec, List<Approval> approvals, Duration liveFor) {
    return PromotionGates.evaluate(spec, List.of(api(liveFor)), approvals, "alice", null, NOW);
  }

  @Test
  void evaluate_whenSoakAndApprovalAreMissing_namesBoth() {
    GateReport report = evaluate(ONE_FROM_RELEASE, List.of(), Duration.ofMinutes(45));

    assertThat(report.allHold()).isFalse();
    assertThat(report.gates()).containsExactly(
        new Gate("verified", false, "api r3 not verified in staging: live 45m of the 1h soak"),
        new Gate("soak", false, "soak 45m of 1h"),
        new Gate("approvals", false, "needs 1 approval from release"),
        new Gate("window", true, "no window: any time"),
        new Gate("freeze", true, "not frozen"));
  }

  @Test
  void evaluate_whenEverythingHolds_allHold() {
    GateReport report = evaluate(ONE_FROM_RELEASE, List.of(BOB), Duration.ofMinutes(61));

    assertThat(report.gates()).containsExactly(
        new Gate("verified", true, "api r3 verified in staging"),
        new Gate("soak", true, "soak 1h 1m of 1h"),
        new Gate("approvals", true, "approved by bob"),
        new Gate("window", true, "no window: any time"),
        new Gate("freeze", true, "not frozen"));
    assertThat(report.allHold()).isTrue();
  }

  @Test
  void approvals_requestersOwnApprovalNeverCounts_andSaysSo() {
    Approval own = new Approval("alice", List.of("release", "admin"), Approval.APPROVED, "lgtm");

    Gate gate = gate(evaluate(ONE_FROM_RELEASE, List.of(own), Duration.ofHours(2)), "approvals");

    assertThat(gate).isEqualTo(new Gate("approvals", false,
        "needs 1 approval from release; alice's own approval does not count"));
  }

  @Test
  void approvals_countDistinctUsersWithAnApproverRoleOrAdmin() {
    PromotionSpec two = new PromotionSpec("staging", null, 2, List.of("release", "admin"), null);
    PromotionSpec three = new PromotionSpec("staging", null, 3, List.of("release", "qa", "ops"), null);
    Approval viewer = new Approval("vic", List.of("viewer"), Approval.APPROVED, null);
    Approval admin = new Approval("root", List.of("admin"), Approval.APPROVED, null);

    assertThat(gate(evaluate(two, List.of(), Duration.ZERO), "approvals").text())
        .isEqualTo("needs 2 approvals from release or admin");
    assertThat(gate(evaluate(two, List.of(BOB, BOB, viewer), Duration.ZERO), "approvals").text())
        .isEqualTo("needs 1 more approval from release or admin; approved by bob");
    assertThat(gate(evaluate(three, List.of(), Duration.ZERO), "approvals").text())
        .isEqualTo("needs 3 approvals from release, qa or ops");
    assertThat(gate(evaluate(two, List.of(BOB, admin), Duration.ZERO), "approvals"))
        .isEqualTo(new Gate("approvals", true, "approved by bob and root"));
    assertThat(gate(evaluate(ONE_FROM_RELEASE, List.of(admin), Duration.ZERO), "approvals"))
        .as("an admin may approve where the approvers do not list admin").isEqualTo(
            new Gate("approvals", true, "approved by root"));
    assertThat(gate(evaluate(new PromotionSpec("staging"), List.of(), Duration.ZERO), "approvals"))
        .isEqualTo(new Gate("approvals", true, "no approval needed"));
  }

  @Test
  void approvals_anyRejectionFailsTheGate_whateverTheApprovals() {
    Approval carol = new Approval("carol", List.of("release"), Approval.REJECTED, "error budget spent");

    GateReport report = evaluate(ONE_FROM_RELEASE, List.of(BOB, carol), Duration.ofHours(2));

    assertThat(gate(report, "approvals")).isEqualTo(new Gate("approvals", false, "rejected by carol: error budget spent"));
    assertThat(report.rejected()).isTrue();
    assertThat(evaluate(ONE_FROM_RELEASE, List.of(BOB), Duration.ofHours(2)).rejected()).isFalse();
  }

  @Test
  void window_insideSaysWhenItCloses_outsideWhenItNextOpens() {
    PromotionSpec office = new PromotionSpec("staging", null, 0, null, OFFICE);

    assertThat(gate(evaluate(office, List.of(), Duration.ZERO), "window"))
        .isEqualTo(new Gate("window", true, "inside the window (closes 16:00 Europe/Berlin)"));
    GateReport friday = PromotionGates.evaluate(office, List.of(api(Duration.ZERO)), List.of(), "alice", null,
        Instant.parse("2026-12-11T11:00:00Z"));
    assertThat(gate(friday, "window"))
        .isEqualTo(new Gate("window", false, "outside the window; next opens Mon 09:00 (Europe/Berlin)"));
    assertThat(friday.allHold()).isFalse();
  }

  @Test
  void freeze_inForceNamesUntilReasonAndWho_andAnEndedOneHolds() {
    Freeze freeze = new Freeze(Instant.parse("2026-12-24T00:00:00Z"), "release freeze", "admin");

    GateReport frozen = PromotionGates.evaluate(new PromotionSpec("staging"), List.of(api(Duration.ZERO)), List.of(),
        "alice", freeze, NOW);
    assertThat(gate(frozen, "freeze")).isEqualTo(
        new Gate("freeze", false, "frozen until 2026-12-24T00:00Z: release freeze (by admin)"));
    assertThat(frozen.allHold()).isFalse();
    GateReport after = PromotionGates.evaluate(new PromotionSpec("staging"), List.of(api(Duration.ZERO)), List.of(),
        "alice", freeze, Instant.parse("2026-12-24T00:00:00Z"));
    assertThat(gate(after, "freeze")).isEqualTo(new Gate("freeze", true, "not frozen"));
    assertThat(after.allHold()).isTrue();
  }

  @Test
  void verifiedAndSoak_perService_theLeastSoakedDecides() {
    ReleaseFacts web = new ReleaseFacts("web", "r7", "registry.local/web@sha256:def", "live",
        NOW.minus(Duration.ofMinutes(20)), "none", null);

    GateReport report = PromotionGates.evaluate(ONE_FROM_RELEASE, List.of(api(Duration.ofHours(3)), web),
        List.of(BOB), "alice", null, NOW);

    assertThat(report.gates()).startsWith(
        new Gate("verified", true, "api r3 verified in staging"),
        new Gate("verified", false, "web r7 not verified in staging: live 20m of the 1h soak"),
        new Gate("soak", false, "soak 20m of 1h (web)"));
  }

  @Test
  void evaluate_whenTheSourceHasNoRelease_nothingToPromote() {
    GateReport report = PromotionGates.evaluate(new PromotionSpec("staging"), List.of(), List.of(), "alice", null, NOW);

    assertThat(report.gates().get(0)).isEqualTo(new Gate("verified", false, "nothing to promote: no release in staging"));
    assertThat(report.allHold()).isFalse();
  }
}
