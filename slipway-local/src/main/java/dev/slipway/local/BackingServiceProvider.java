package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;

/**
 * Runs (or connects to) one kind of backing service. One class per variant, chosen by the
 * resource's type and provider; {@link #id()} is {@code <provider>-<type>} or just {@code <provider>}.
 */
interface BackingServiceProvider {

  String id();

  /**
   * Starts the service and returns once it accepts connections and its database or user exists.
   *
   * @param externalUrl the resolved url for {@code provider: external}, else {@code null}
   */
  BackingService start(LocalContext ctx, BackingServiceSpec spec, String externalUrl) throws TargetException;
}
