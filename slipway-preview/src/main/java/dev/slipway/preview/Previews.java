package dev.slipway.preview;

import dev.slipway.api.team.PreviewRequest;
import dev.slipway.api.team.PreviewView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * A registry of previews: isolated copies of an application, each a whole local stack run by a control
 * plane of its own (its own state directory {@code REGISTRY/NAME/state}, so its own processes, ports,
 * router and data) or, from a kubernetes environment, a namespace of its own. The registry is a
 * directory of {@code NAME.json} records, written before anything is started or stopped (the intent)
 * and removed last, so a crash at any point leaves a record that the next {@link #down} or
 * {@link #sweep} finishes. A lock file serializes changes to the registry across processes.
 *
 * <p>The CLI without a team server uses {@code $XDG_STATE_HOME/slipway/previews}; the team server
 * {@code DATA/previews}.
 */
public final class Previews {
  private final Path registryDir;
  private final PreviewSettings settings;

  private Previews(Path registryDir, PreviewSettings settings) {
    this.registryDir = registryDir.toAbsolutePath().normalize();
    this.settings = settings;
  }

  /**
   * Opens (creating it when absent, mode 0700) the registry in {@code registryDir}.
   *
   * @throws PreviewException when the directory cannot be created or read
   */
  public static Previews open(Path registryDir, PreviewSettings settings) throws PreviewException {
    return new Previews(registryDir, settings);
  }

  /**
   * Starts preview {@code request.name()}, or replaces it when one of that name exists (a pull request
   * that was updated), and returns it once it serves, with its URLs.
   *
   * @param user     who asks (recorded as the preview's creator)
   * @param progress where progress lines go
   * @throws PreviewException the quota is reached ({@link PreviewException#REFUSED}), the request is bad
   *                          ({@link PreviewException#BAD_INPUT}), or the stack failed to start (it is
   *                          removed again)
   */
  public PreviewView up(PreviewRequest request, String user, Consumer<String> progress) throws PreviewException {
    throw new PreviewException("not implemented yet", null, PreviewException.FAILED);
  }

  /** Every preview in the registry, by name, as recorded (a local preview whose control plane died says so). */
  public List<PreviewView> list() throws PreviewException {
    throw new PreviewException("not implemented yet", null, PreviewException.FAILED);
  }

  /**
   * Removes preview {@code name}: stops its control plane (and everything it runs) or deletes its
   * namespace, deletes its data, and removes its record.
   *
   * @throws PreviewException {@link PreviewException#NOT_FOUND} when there is no such preview
   */
  public PreviewView down(String name, Consumer<String> progress) throws PreviewException {
    throw new PreviewException("not implemented yet", null, PreviewException.FAILED);
  }

  /**
   * Removes every preview whose TTL passed at {@code now}; cheap when none did (one directory read).
   * Returns the previews removed, each with state {@code expired}.
   */
  public List<PreviewView> sweep(Instant now, Consumer<String> progress) throws PreviewException {
    throw new PreviewException("not implemented yet", null, PreviewException.FAILED);
  }

  /** The registry's directory. */
  public Path registryDir() {
    return registryDir;
  }

  public PreviewSettings settings() {
    return settings;
  }
}
