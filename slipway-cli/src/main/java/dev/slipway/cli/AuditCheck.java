package dev.slipway.cli;

import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.CheckpointView;
import java.util.List;

/**
 * What {@code slipway audit verify} asks of the audit trail's verifier: given every entry, every
 * checkpoint the server signed and one saved earlier (or null), is the trail intact, and if not, what
 * was changed, removed or inserted first.
 */
@FunctionalInterface
interface AuditCheck {
  Result check(List<AuditEntryView> entries, List<CheckpointView> checkpoints, CheckpointView saved);

  /** The verdict, and the report's lines for a person. */
  record Result(boolean intact, List<String> lines) {}

  /** The verifier of the API's audit chain. */
  static AuditCheck standard() {
    return (entries, checkpoints, saved) -> {
      throw new CliException(1, "this slipway cannot verify an audit trail yet (its verifier is not built in)",
          "use a slipway built from a newer checkout");
    };
  }
}
