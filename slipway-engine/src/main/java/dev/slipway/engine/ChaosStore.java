package dev.slipway.engine;

import dev.slipway.store.Deployment;
import dev.slipway.store.NewDeployment;
import dev.slipway.store.NewEvent;
import dev.slipway.store.NewRelease;
import dev.slipway.store.Release;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import dev.slipway.store.StoredEvent;
import java.util.List;
import java.util.Optional;

/**
 * The state store as a control plane under {@link Chaos} uses it: each write is counted once it has
 * committed (and may halt the control plane right there), and a halted control plane reaches the store
 * no more.
 */
final class ChaosStore implements StateStore {
  private final StateStore store;
  private final Chaos chaos;

  private ChaosStore(StateStore store, Chaos chaos) {
    this.store = store;
    this.chaos = chaos;
  }

  /** {@code store} itself when there is no chaos. */
  static StateStore of(StateStore store, Chaos chaos) {
    return chaos.active() ? new ChaosStore(store, chaos) : store;
  }

  @Override
  public Release createRelease(NewRelease release) throws StoreException {
    chaos.checkAlive();
    Release r = store.createRelease(release);
    chaos.wrote("create release " + r.id(), false);
    return r;
  }

  @Override
  public Optional<Release> release(String environment, String releaseId) throws StoreException {
    chaos.checkAlive();
    return store.release(environment, releaseId);
  }

  @Override
  public List<Release> releases(String environment, String service) throws StoreException {
    chaos.checkAlive();
    return store.releases(environment, service);
  }

  @Override
  public java.util.Set<String> artifactDigests() throws StoreException {
    chaos.checkAlive();
    return store.artifactDigests();
  }

  @Override
  public Deployment startDeployment(NewDeployment deployment) throws StoreException {
    chaos.checkAlive();
    Deployment d = store.startDeployment(deployment);
    chaos.wrote("start deployment #" + d.id(), true);
    return d;
  }

  @Override
  public Deployment update(Deployment deployment) throws StoreException {
    chaos.checkAlive();
    Deployment d = store.update(deployment);
    chaos.wrote("deployment #" + d.id() + " " + d.state() + "/" + d.phase() + " at step " + (d.step() + 1), false);
    return d;
  }

  @Override
  public Optional<Deployment> deployment(long id) throws StoreException {
    chaos.checkAlive();
    return store.deployment(id);
  }

  @Override
  public Optional<Deployment> activeDeployment(String environment, String service) throws StoreException {
    chaos.checkAlive();
    return store.activeDeployment(environment, service);
  }

  @Override
  public List<Deployment> activeDeployments(String environment) throws StoreException {
    chaos.checkAlive();
    return store.activeDeployments(environment);
  }

  @Override
  public List<Deployment> history(String environment, String service, int limit) throws StoreException {
    chaos.checkAlive();
    return store.history(environment, service, limit);
  }

  @Override
  public void setCurrentRelease(String environment, String service, String releaseId) throws StoreException {
    chaos.checkAlive();
    store.setCurrentRelease(environment, service, releaseId);
    chaos.wrote("current release of " + service + " := " + releaseId, false);
  }

  @Override
  public Optional<String> currentRelease(String environment, String service) throws StoreException {
    chaos.checkAlive();
    return store.currentRelease(environment, service);
  }

  @Override
  public long appendEvent(NewEvent event) throws StoreException {
    chaos.checkAlive();
    return store.appendEvent(event);
  }

  @Override
  public List<StoredEvent> events(String environment, String service, long afterId, int limit) throws StoreException {
    chaos.checkAlive();
    return store.events(environment, service, afterId, limit);
  }

  @Override
  public void close() {
    store.close();
  }
}
