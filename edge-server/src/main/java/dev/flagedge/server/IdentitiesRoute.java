package dev.flagedge.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /api/v1/identities/?identifier=} and {@code POST /api/v1/identities/}: flags for an
 * identity with the request's traits, evaluated statelessly. The body is validated before the key is
 * checked, as in the reference.
 */
final class IdentitiesRoute implements Route {
  private final Environments environments;
  private final Metrics metrics;

  IdentitiesRoute(Environments environments, Metrics metrics) {
    this.environments = environments;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpCall call) throws IOException {
    IdentityRequest request;
    String cacheKey;
    if ("POST".equals(call.method())) {
      byte[] body = call.body();
      request = IdentityRequest.parse(body);
      cacheKey = "P" + new String(body, StandardCharsets.UTF_8);
    } else {
      String identifier = call.query("identifier");
      if (identifier == null) {
        throw IdentityRequest.missingQueryIdentifier();
      }
      request = new IdentityRequest(identifier, List.of());
      cacheKey = "G" + identifier;
    }
    Environments.Access access = environments.resolve(call);
    metrics.evaluation("identity");
    call.respond(200, access.environment()
        .identity((access.serverKey() ? 's' : 'c') + cacheKey, request, access.serverKey()));
  }
}
