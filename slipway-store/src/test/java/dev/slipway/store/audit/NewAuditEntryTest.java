package dev.slipway.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NewAuditEntryTest {
  @Test
  void anEntry_needsAnActorAndAnAction() {
    assertThatThrownBy(() -> NewAuditEntry.of(" ", "deploy", null, null)).hasMessage("an audit entry needs an actor");
    assertThatThrownBy(() -> NewAuditEntry.of("alice", null, null, null)).hasMessage("an audit entry needs an action");
  }

  @Test
  void details_areAJsonObject() {
    assertThat(NewAuditEntry.of("alice", "deploy", "staging", "api").withDetails("{\"a\":1}").detailsJson())
        .isEqualTo("{\"a\":1}");
    assertThatThrownBy(() -> NewAuditEntry.of("alice", "deploy", null, null).withDetails("[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an audit entry's details are a JSON object, not [1]");
  }
}
