package dev.slipway.kubernetes;

import dev.slipway.model.StrategySpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Blue-green on a cluster: the new release's Deployment {@code SERVICE-rN} at full size beside the live
 * one; once its endpoints are ready in its own Service's EndpointSlices, one patch of the active Service's
 * selector ({@link SelectorSwitch}) moves all traffic. The previous release stays warm for the rollback
 * window, its end written on its Deployment ({@link #WARM_UNTIL}) so that whichever command runs after
 * the window retires it when this runner has returned; a rollback within it switches the selector back.
 */
final class BlueGreenClusterRollout extends ReleaseSetRollout {
  /** When the warm previous release may be retired, on its Deployment (ISO-8601 instant). */
  static final String WARM_UNTIL = "slipway.dev/warm-until";

  private final SelectorSwitch selector;

  BlueGreenClusterRollout(RunnerContext ctx, RolloutRecord record, ClusterRelease previous, StrategySpec.BlueGreen strategy) {
    super(ctx, record, previous, strategy);
    this.selector = new SelectorSwitch(ctx.client(), ctx.objects);
  }

  @Override
  Next shift(int percent) throws KubernetesException {
    if (percent < 100 || spec.port() == null) {
      return GO; // a blue-green moves all traffic at once; a service without a port has no traffic to move
    }
    String active = selector.switchTo(spec.name(), record.get().id());
    ctx.say(label + ": Service " + spec.name() + " now selects " + active
        + (previous == null ? "" : " (was " + previous.id() + ")"));
    return GO;
  }

  @Override
  void restore() throws KubernetesException {
    if (spec.port() != null && !previous.id().equals(selector.active(spec.name()))) {
      String active = selector.switchTo(spec.name(), previous.id());
      ctx.say(label + ": Service " + spec.name() + " selects " + active + " again");
    }
  }

  @Override
  Next hold(int index, Duration window, boolean waitForEnd) throws KubernetesException, InterruptedException {
    if (previous == null) {
      return GO;
    }
    String warm = ClusterObjects.releaseName(spec.name(), previous.id());
    Instant until = warmUntil(warm);
    boolean begins = until == null;
    if (begins) {
      until = ctx.settings.clock().now().plus(ctx.settings.clock().real(window)).truncatedTo(ChronoUnit.MILLIS);
      annotate(warm, until);
    }
    Duration left = Duration.between(ctx.settings.clock().now(), until);
    if (left.isNegative() || left.isZero()) {
      return GO;
    }
    String line = previous.id() + " stays warm until " + until + ": `slipway rollback " + spec.name() + " --env "
        + ctx.env.name() + "` switches back at once";
    if (begins) {
      ctx.say(label + ": " + line);
    }
    if (!waitForEnd) {
      return new Next.Wait(label + " is live; " + line + "; the first command after that retires it");
    }
    Thread.sleep(left);
    return GO;
  }

  private Instant warmUntil(String deployment) throws KubernetesException {
    try {
      Deployment d = ctx.client().apps().deployments().inNamespace(ctx.namespace()).withName(deployment).get();
      String v = d == null || d.getMetadata().getAnnotations() == null ? null
          : d.getMetadata().getAnnotations().get(WARM_UNTIL);
      return v == null ? null : Instant.parse(v);
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "get", "deployments");
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.EPOCH; // unreadable: the window is taken as over rather than held forever
    }
  }

  private void annotate(String deployment, Instant until) throws KubernetesException {
    try {
      ctx.client().apps().deployments().inNamespace(ctx.namespace()).withName(deployment).edit(d ->
          new DeploymentBuilder(d).editMetadata().addToAnnotations(WARM_UNTIL, until.toString()).endMetadata().build());
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "patch", "deployments");
    }
  }
}
