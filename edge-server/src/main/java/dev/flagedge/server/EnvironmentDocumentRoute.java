package dev.flagedge.server;

import java.io.IOException;

/**
 * {@code GET /api/v1/environment-document}: the current document, for SDKs in local-evaluation mode.
 * Only server-side keys may read it: it holds every segment rule and identity override.
 */
final class EnvironmentDocumentRoute implements Route {
  private final Environments environments;

  EnvironmentDocumentRoute(Environments environments) {
    this.environments = environments;
  }

  @Override
  public void handle(HttpCall call) throws IOException {
    Environments.Access access = environments.resolve(call);
    if (!access.serverKey()) {
      throw ApiException.forbidden("the environment document requires a server-side key");
    }
    call.respond(200, access.environment().document());
  }
}
