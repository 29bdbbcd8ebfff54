package dev.slipway.preview;

import dev.slipway.api.team.PreviewView;
import java.time.Instant;
import java.util.Map;

/**
 * What the registry keeps of one preview in {@code REGISTRY/NAME.json}: written as the intent before
 * anything is started, updated as the preview comes up, removed last when it goes. Times are ISO-8601
 * strings so that the file needs no Jackson module.
 *
 * @param target       {@code local} or {@code kubernetes}
 * @param state        {@code starting}, {@code up}, {@code failed}, {@code removing}
 * @param modelFile    the model the preview runs
 * @param environment  the model's environment it runs ({@code dev}, or {@code --from}'s)
 * @param location     the state directory (local) or namespace (kubernetes)
 * @param pid          the local control plane's pid (the leader of its process group), 0 before it starts
 * @param pidStart     that process's start time, so that a reused pid is not taken for it
 * @param actorPid     the process acting on the preview right now (starting or removing it), 0 when none
 * @param actorStart   that process's start time
 */
record PreviewRecord(String name, String target, String state, String source, String modelFile, String environment,
    String version, String location, Map<String, String> urls, String createdBy, String createdAt, String ttl,
    String expiresAt, String message, long pid, long pidStart, long actorPid, long actorStart) {

  PreviewRecord {
    urls = urls == null ? Map.of() : Map.copyOf(urls);
  }

  PreviewView view() {
    return new PreviewView(name, target, state, source, location, urls, createdBy, instant(createdAt),
        instant(expiresAt), message);
  }

  Instant expires() {
    return instant(expiresAt);
  }

  PreviewRecord withState(String newState, String newMessage) {
    return new PreviewRecord(name, target, newState, source, modelFile, environment, version, location, urls,
        createdBy, createdAt, ttl, expiresAt, newMessage, pid, pidStart, actorPid, actorStart);
  }

  PreviewRecord withProcess(long newPid, long newPidStart) {
    return new PreviewRecord(name, target, state, source, modelFile, environment, version, location, urls, createdBy,
        createdAt, ttl, expiresAt, message, newPid, newPidStart, actorPid, actorStart);
  }

  PreviewRecord withUp(Map<String, String> newUrls, Instant newExpiresAt) {
    return new PreviewRecord(name, target, "up", source, modelFile, environment, version, location, newUrls,
        createdBy, createdAt, ttl, newExpiresAt.toString(), null, pid, pidStart, 0, 0);
  }

  PreviewRecord withActor(long pidOfActor, long startOfActor) {
    return new PreviewRecord(name, target, state, source, modelFile, environment, version, location, urls, createdBy,
        createdAt, ttl, expiresAt, message, pid, pidStart, pidOfActor, startOfActor);
  }

  /** Whether the local control plane's process still runs (and its pid was not reused since). */
  boolean processAlive() {
    return pid > 0 && new dev.slipway.api.ControlPlaneInfo(pid, pidStart, 0, null, null, null).isAlive();
  }

  /** Whether a process other than this one's is starting or removing the preview right now. */
  boolean actedOnElsewhere() {
    return actorPid > 0 && actorPid != ProcessHandle.current().pid()
        && new dev.slipway.api.ControlPlaneInfo(actorPid, actorStart, 0, null, null, null).isAlive();
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
