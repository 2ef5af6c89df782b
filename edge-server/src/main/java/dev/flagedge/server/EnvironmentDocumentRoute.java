package dev.flagedge.server;

import java.io.IOException;

/**
 * {@code GET /api/v1/environment-document}: the current document, for SDKs in local-evaluation
 * mode. Only server-side keys may read it: it holds every segment rule and identity override. It
 * has an entity tag and {@code Last-Modified} (its {@code updated_at}), so a poller of an unchanged
 * document, an SDK or a FlagEdge in a second tier, gets a 304.
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
    ServedEnvironment environment = access.environment();
    call.respondValidated(
        environment.document(), environment.version(), environment.lastModified());
  }
}
