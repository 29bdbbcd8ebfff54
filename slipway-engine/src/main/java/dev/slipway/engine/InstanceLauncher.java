package dev.slipway.engine;

import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.Target;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.AppSpec;
import dev.slipway.model.Template;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's one hand on the target's workloads: starts (or, after a control-plane restart,
 * reattaches to) an instance of a release set, resolving its configuration against what runs now, and
 * stops it when the set shrinks. Every change of how many instances of a release run goes through
 * here, so a target that scales whole release sets (a Kubernetes Deployment per release, see
 * docs/decisions/0015) has one place to be driven from.
 */
final class InstanceLauncher {
  private final AppSpec app;
  private final Target target;
  private final EngineSettings settings;
  private final Map<String, Integer> adoptedPorts = new ConcurrentHashMap<>();
  private volatile References references;
  private volatile ListenerFactory listeners;

  /** Makes the state listener of a new instance. */
  interface ListenerFactory {
    Instance.Listener listenerFor(ServiceRuntime s, InstanceRuntime inst);
  }

  InstanceLauncher(AppSpec app, Target target, EngineSettings settings) {
    this.app = app;
    this.target = target;
    this.settings = settings;
  }

  void references(References refs) {
    this.references = refs;
  }

  void listeners(ListenerFactory factory) {
    this.listeners = factory;
  }

  /** Ports of instances that still ran when this control plane started; they keep them. */
  void adopted(Map<String, Integer> ports) {
    adoptedPorts.putAll(ports);
  }

  boolean wasAdopted(String instanceId) {
    return adoptedPorts.containsKey(instanceId);
  }

  /** Whether {@code t} names the instance's own port, which then must be allocated even without {@code port:}. */
  private static boolean usesSelf(Template t) {
    return t.references().stream().anyMatch(r -> r.kind() == dev.slipway.model.Reference.Kind.SELF);
  }

  /**
   * Takes {@code inst} out of its set for good and has the target stop it (TERM, then KILL after the
   * grace). Routes must have been drained of it before.
   */
  void stop(InstanceRuntime inst) {
    inst.retired = true;
    inst.ready = false;
    Instance h = inst.handle;
    if (h != null) {
      h.stop(settings.stopGrace());
    }
  }

  /** Ensures instance {@code index} of {@code set} runs; returns it (existing or new). */
  InstanceRuntime ensure(ServiceRuntime s, ReleaseSet set, int index) throws TargetException {
    for (InstanceRuntime i : set.live()) {
      if (i.index == index && i.handle != null) {
        return i;
      }
    }
    String id = set.instanceId(index);
    Template run = Template.parse(set.config.run());
    Map<String, Template> templates = set.config.templates();
    boolean needsPort = s.spec.port() != null || s.spec.health().ready() != null || s.spec.health().live() != null
        || usesSelf(run) || templates.values().stream().anyMatch(InstanceLauncher::usesSelf);
    Integer adopted = adoptedPorts.remove(id);
    int port = adopted != null ? adopted : needsPort ? target.allocatePort(id) : 0;
    InstanceRuntime inst = new InstanceRuntime(id, index, port);
    // An instance taken over from the previous control plane was serving: keep it in rotation until
    // a probe says otherwise, so a takeover costs no request.
    inst.ready = adopted != null;
    Map<String, String> env = new LinkedHashMap<>(references.renderAll(templates, port));
    if (port > 0) {
      env.put("PORT", Integer.toString(port));
    }
    env.put("APP_VERSION", set.version());
    env.put("SLIPWAY_APP", app.name());
    env.put("SLIPWAY_SERVICE", s.spec.name());
    env.put("SLIPWAY_RELEASE", set.id());
    env.put("SLIPWAY_INSTANCE", id);
    String command = references.render(run, port);
    Instance handle = target.startInstance(new InstanceSpec(s.spec.name(), id, set.id(), set.version(), command,
        set.workDir, env, port, settings.stopGrace()));
    inst.handle = handle;
    if (listeners != null) {
      handle.onChange(listeners.listenerFor(s, inst));
    }
    set.instances.add(inst);
    return inst;
  }
}
