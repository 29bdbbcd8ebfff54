package dev.slipway.kubernetes;

import dev.slipway.model.StrategySpec;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blue-green's smoke checks on a cluster: each an HTTP GET to the new release's own Service
 * ({@code SERVICE-rN}, which selects its pods alone) through the API server's service proxy, so the
 * request crosses the cluster's network to the release before any user's does. Needs {@code get} on
 * {@code services/proxy} in the namespace.
 */
final class SmokeChecks {
  static final int TIMEOUT_SECONDS = 10;

  private SmokeChecks() {}

  /** Runs the checks in order; the first failure said for people, or null when every check passed. */
  static String run(RunnerContext ctx, String releaseService, List<StrategySpec.SmokeCheck> checks, String label)
      throws InterruptedException {
    HttpClient http = ctx.client().getHttpClient();
    for (StrategySpec.SmokeCheck check : checks) {
      String path = check.path().startsWith("/") ? check.path() : "/" + check.path();
      URI uri = URI.create(ctx.client().getMasterUrl().toString()).resolve("/api/v1/namespaces/" + ctx.namespace()
          + "/services/" + releaseService + ":http/proxy" + path);
      String what = "smoke check `" + check.name() + "`: GET " + path + " on Service " + releaseService;
      int status;
      try {
        HttpResponse<String> r = http.sendAsync(http.newHttpRequestBuilder().uri(uri).build(), String.class)
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        status = r.code();
      } catch (ExecutionException e) {
        return what + " failed: " + (e.getCause() == null ? e : e.getCause()).getMessage();
      } catch (TimeoutException e) {
        return what + " did not answer within " + TIMEOUT_SECONDS + " s";
      }
      if (status == 403) {
        return what + ": the API server refused the proxy (403); the Role needs `get` on `services/proxy`";
      }
      if (status != check.expect()) {
        return what + " answered " + status + ", expected " + check.expect();
      }
      ctx.say(label + ": " + what + " → " + status);
    }
    return null;
  }
}
