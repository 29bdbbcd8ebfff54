package dev.slipway.server.team;

import dev.slipway.api.team.PreviewRequest;
import dev.slipway.api.team.PreviewView;
import dev.slipway.api.team.Roles;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.preview.PreviewException;
import dev.slipway.preview.Previews;
import dev.slipway.server.ApiError;
import dev.slipway.store.StoreException;
import dev.slipway.store.audit.AuditLog;
import dev.slipway.store.audit.NewAuditEntry;
import java.nio.file.Path;
import java.util.List;

/**
 * Previews in the server's registry ({@code DATA/previews}): list (any user), up and down (deployer),
 * each change audited. A working-tree preview runs the server's model, or another model file inside its
 * checkout: a preview runs the model's commands on this host, so no file outside it is accepted.
 */
final class PreviewRoutes implements TeamRoutes {
  private final Previews previews;
  private final TeamModel model;
  private final AuditLog audit;

  PreviewRoutes(Previews previews, TeamModel model, AuditLog audit) {
    this.previews = previews;
    this.model = model;
    this.audit = audit;
  }

  @Override
  public void register(TeamRouter r) {
    r.get(TeamPaths.PREVIEWS, q -> TeamResponse.ok(call(previews::list)));
    r.post(TeamPaths.PREVIEWS, q -> {
      Access.require(q.caller(), "start previews", Roles.DEPLOYER);
      PreviewRequest body = q.body(PreviewRequest.class);
      PreviewRequest request = new PreviewRequest(body.name(), body.ttl(), body.from(), modelFile(body.modelFile()),
          body.version());
      PreviewView view = call(() -> previews.up(request, q.caller().name(), line -> { }));
      append(new NewAuditEntry(q.caller().name(), "preview.up", body.from(), null, null, null, null, null, null,
          PreviewAudit.details(view)));
      return TeamResponse.created(view);
    });
    r.delete(TeamPaths.PREVIEWS + "/{name}", q -> {
      Access.require(q.caller(), "remove previews", Roles.DEPLOYER);
      PreviewView view = call(() -> previews.down(q.param("name"), line -> { }));
      append(new NewAuditEntry(q.caller().name(), "preview.down", null, null, null, null, null, null, null,
          PreviewAudit.details(view)));
      return TeamResponse.ok(view);
    });
  }

  private String modelFile(String requested) {
    if (requested == null || requested.isBlank()) {
      return model.file().toString();
    }
    Path file = model.dir().resolve(requested).toAbsolutePath().normalize();
    if (!file.startsWith(model.dir())) {
      throw ApiError.badRequest("the preview's model file " + file + " is outside the server's checkout " + model.dir()
          + "; give a path inside it, or none for the server's model");
    }
    return file.toString();
  }

  private void append(NewAuditEntry entry) {
    try {
      audit.append(entry);
    } catch (StoreException e) {
      throw new ApiError(503, "store-unavailable", "The team store cannot answer", List.of(e.getMessage()));
    }
  }

  interface PreviewCall<T> {
    T run() throws PreviewException;
  }

  static <T> T call(PreviewCall<T> body) {
    try {
      return body.run();
    } catch (PreviewException e) {
      List<String> details = e.fix() == null ? List.of(e.getMessage()) : List.of(e.getMessage(), e.fix());
      throw switch (e.exitCode()) {
        case PreviewException.BAD_INPUT -> new ApiError(400, "bad-request", "Bad request", details);
        case PreviewException.REFUSED -> new ApiError(409, "preview-refused", "Preview refused", details);
        case PreviewException.NOT_FOUND -> new ApiError(404, "unknown-preview", "Not found", details);
        default -> new ApiError(500, "preview-failed", "The preview failed", details);
      };
    }
  }
}
