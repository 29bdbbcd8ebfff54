package dev.slipway.server.team;

import dev.slipway.model.EnvironmentSpec;

/** Model facts a run obeys that team-gates adds to the model ({@code protected}). */
final class RunGuards {
  private RunGuards() {}

  static boolean isProtected(EnvironmentSpec env) {
    return false; // TODO(issue 11): env.isProtected() once the model key lands
  }
}
