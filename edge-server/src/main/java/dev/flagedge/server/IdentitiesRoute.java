package dev.flagedge.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/identities/?identifier=} and {@code POST /api/v1/identities/}: flags for an
 * identity with the request's traits, evaluated statelessly. A request seen before for the same
 * document is answered from the {@link ResponseCache} without being parsed; otherwise the body is
 * validated before the key is checked, as in the reference.
 */
final class IdentitiesRoute implements Route {
  /** Cache key kinds: the method and the key type, so equal bytes never mean different requests. */
  private static final byte POST_CLIENT = 1;

  private static final byte POST_SERVER = 2;
  private static final byte GET_CLIENT = 3;
  private static final byte GET_SERVER = 4;

  private final Environments environments;
  private final Metrics metrics;

  IdentitiesRoute(Environments environments, Metrics metrics) {
    this.environments = environments;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpCall call) throws IOException {
    if ("POST".equals(call.method())) {
      byte[] body = call.body();
      Supplier<IdentityRequest> parse = () -> IdentityRequest.parse(body);
      Environments.Access access = resolve(call, parse);
      respond(call, access, access.serverKey() ? POST_SERVER : POST_CLIENT, body, parse);
      return;
    }
    String identifier = call.query("identifier");
    if (identifier == null) {
      throw IdentityRequest.missingQueryIdentifier();
    }
    Environments.Access access = environments.resolve(call);
    respond(
        call,
        access,
        access.serverKey() ? GET_SERVER : GET_CLIENT,
        identifier.getBytes(StandardCharsets.UTF_8),
        () -> new IdentityRequest(identifier, List.of()));
  }

  /**
   * The key's environment; an invalid body is reported before an invalid key, as in the reference.
   */
  private Environments.Access resolve(HttpCall call, Supplier<IdentityRequest> parse) {
    try {
      return environments.resolve(call);
    } catch (ApiException e) {
      parse.get();
      throw e;
    }
  }

  private void respond(
      HttpCall call,
      Environments.Access access,
      byte kind,
      byte[] request,
      Supplier<IdentityRequest> parse)
      throws IOException {
    metrics.evaluation("identity");
    Body body = access.environment().identity(kind, request, parse, access.serverKey());
    call.responseCache(body.fromCache());
    if (kind == GET_CLIENT || kind == GET_SERVER) {
      // A GET's answer depends on the URL (the identifier), the document and the key type.
      call.respondValidated(
          body,
          access.environment().version() + (kind == GET_SERVER ? "-s" : "-c"),
          Optional.empty());
    } else {
      call.respond(200, body);
    }
  }
}
