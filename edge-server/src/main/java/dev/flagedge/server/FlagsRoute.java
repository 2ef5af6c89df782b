package dev.flagedge.server;

import java.io.IOException;

/** {@code GET /api/v1/flags/[?feature=name]}: pre-serialised environment flags. */
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
    if (feature == null || feature.isEmpty()) {
      call.respond(200, access.environment().flags(access.serverKey()));
      return;
    }
    call.respond(200, access.environment().feature(feature, access.serverKey())
        .orElseThrow(() -> ApiException.featureNotFound(feature)));
  }
}
