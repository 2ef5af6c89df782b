package dev.flagedge.server;

import java.io.IOException;

/**
 * {@code POST /api/v1/analytics/flags/}: SDK flag analytics, accepted at once and batched upstream.
 */
final class AnalyticsRoute implements Route {
  private static final Body ACCEPTED = Body.json("{}");

  private final Environments environments;
  private final Analytics analytics;

  AnalyticsRoute(Environments environments, Analytics analytics) {
    this.environments = environments;
    this.analytics = analytics;
  }

  @Override
  public void handle(HttpCall call) throws IOException {
    byte[] body = call.body();
    Environments.Access access = environments.resolve(call);
    analytics.record(access.clientKey(), body);
    call.respond(200, ACCEPTED);
  }
}
