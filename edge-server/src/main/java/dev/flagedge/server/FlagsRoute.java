package dev.flagedge.server;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /api/v1/flags/[?feature=name]}: pre-serialised environment flags, with an entity tag,
 * so an SDK polling an unchanged document gets a 304.
 */
final class FlagsRoute implements Route {
  private final Environments environments;
  private final Metrics metrics;

  FlagsRoute(Environments environments, Metrics metrics) {
    this.environments = environments;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpCall call) throws IOException {
    Environments.Access access = environments.resolve(call);
    String feature = call.query("feature");
    metrics.evaluation("environment");
    ServedEnvironment environment = access.environment();
    Body body =
        feature == null || feature.isEmpty()
            ? environment.flags(access.serverKey())
            : environment
                .feature(feature, access.serverKey())
                .orElseThrow(() -> ApiException.featureNotFound(feature));
    // The answer depends on the URL, the document and the key type: the tag needs no more.
    call.respondValidated(
        body, environment.version() + (access.serverKey() ? "-s" : "-c"), Optional.empty());
  }
}
