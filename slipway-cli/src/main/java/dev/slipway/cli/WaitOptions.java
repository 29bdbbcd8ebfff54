package dev.slipway.cli;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --wait} and {@code --timeout} for commands that start a rollout. */
final class WaitOptions {
  @Option(names = "--wait", description = "Follow the rollout until the new release is live (for blue-green: when it"
      + " takes all traffic, the previous one kept warm); exit 1 unless it went live.")
  boolean await;

  @Option(names = "--wait-warm", description = "Like --wait, but with blue-green also wait out the rollback window,"
      + " until the previous release is retired.")
  boolean awaitWarm;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Wait (implies --wait) but stop waiting after this long, exit 1 (the rollout goes on), e.g. 10m. Default: wait to the end.")
  Duration timeout;

  /** Follows deployment {@code id} if asked to wait (--wait, --wait-warm or --timeout); 0 otherwise. */
  int follow(ControlPlaneClient client, String service, long id, long after, PrintWriter out) {
    return await || awaitWarm || timeout != null
        ? RolloutProgress.follow(client, service, id, after, out, timeout, awaitWarm) : 0;
  }

  /**
   * What {@code --wait} / {@code --wait-warm} ask of a cluster rollout ({@code waitForEnd}), with their
   * local meanings: {@code --wait} follows a blue-green until it takes all traffic (the previous release
   * kept warm), any other strategy to its end, through pauses that wait for {@code promote};
   * {@code --wait-warm} also waits out a blue-green's rollback window. A cluster rollout given
   * {@code waitForEnd} false still runs until the release is live or a person must act: this process is
   * its runner.
   */
  boolean clusterWaitsToEnd(dev.slipway.model.StrategySpec strategy) {
    return awaitWarm || (await && !(strategy instanceof dev.slipway.model.StrategySpec.BlueGreen));
  }

  /** Durations as the model writes them: 30s, 5m, 1h30m. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = dev.slipway.model.Durations.parseArgument(value);
      if (d.isZero()) {
        throw new IllegalArgumentException("a timeout of zero would never wait; leave --timeout out to wait to the end");
      }
      return d;
    }
  }
}
