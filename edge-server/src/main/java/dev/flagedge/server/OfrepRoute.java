package dev.flagedge.server;

import dev.flagedge.engine.Flag;
import dev.flagedge.engine.internal.JsonWriter;
import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * OpenFeature's remote evaluation protocol (OFREP 0.3): {@code POST /ofrep/v1/evaluate/flags/{key}}
 * evaluates one flag, {@code POST /ofrep/v1/evaluate/flags} all of them, for the context in the
 * body ({@link OfrepRequest}) — the same evaluation as {@code /api/v1/identities/} with a targeting
 * key, as {@code /api/v1/flags/} without, and the same visibility for client keys. Each flag's form
 * is {@link OfrepAnswers}'. The key comes in {@code X-API-Key} (what OFREP providers send), {@code
 * Authorization: Bearer}, or {@code X-Environment-Key}. Every error has OFREP's JSON body.
 *
 * <p>The bulk answer has a strong entity tag made of the document's version, the key type and a
 * digest of the request body, so a changed context never gets a stale 304; and it names this
 * server's OFREP event stream for the environment ({@link #EVENTS_PREFIX}), which says {@code
 * refetchEvaluation} when the document changes.
 */
final class OfrepRoute implements Route {
  static final String FLAGS = "/ofrep/v1/evaluate/flags";
  static final String EVENTS_PREFIX = "/ofrep/v1/events/";

  /** How long a provider keeps a stream open in a hidden page, as OFREP's default. */
  private static final int INACTIVITY_DELAY_SECONDS = 120;

  private final Environments environments;
  private final Metrics metrics;
  private volatile boolean proxyHeaders; // server.proxy_headers, reloaded live

  /**
   * Whether the event stream URLs follow {@code X-Forwarded-Proto} and {@code -Host} from now on.
   */
  void proxyHeaders(boolean proxyHeaders) {
    this.proxyHeaders = proxyHeaders;
  }

  OfrepRoute(Environments environments, Metrics metrics, boolean proxyHeaders) {
    this.environments = environments;
    this.metrics = metrics;
    this.proxyHeaders = proxyHeaders;
  }

  /** Whether a path is the single-flag endpoint's, with a flag key after the prefix. */
  static boolean matchesFlag(String path) {
    return path.length() > FLAGS.length() + 1
        && path.startsWith(FLAGS)
        && path.charAt(FLAGS.length()) == '/';
  }

  @Override
  public void handle(HttpCall call) throws IOException {
    try {
      answer(call);
    } catch (ApiException e) {
      if (e.isOfrep()) {
        throw e;
      }
      String details = e.getMessage() != null ? e.getMessage() : "request refused";
      throw ApiException.ofrep(e.status(), errorCode(e.status()), details);
    }
  }

  private void answer(HttpCall call) throws IOException {
    if (!"POST".equals(call.method())) {
      call.setHeader("Allow", "POST");
      throw ApiException.ofrep(405, "GENERAL", "OFREP evaluations are POST requests");
    }
    exposeHeaders(call);
    Environments.Access access = environments.resolve(call, key(call));
    byte[] body = call.body();
    OfrepRequest request = OfrepRequest.parse(body);
    ServedEnvironment environment = access.environment();
    Optional<String> targetingKey = request.targetingKey();
    metrics.evaluation(targetingKey.isPresent() ? "ofrep-identity" : "ofrep-environment");
    if (call.path().length() > FLAGS.length()) {
      String key = call.path().substring(FLAGS.length() + 1);
      call.respond(200, Body.json(single(environment, request, key, access.serverKey())));
      return;
    }
    List<Flag> flags =
        targetingKey.isPresent()
            ? environment.environment().identityFlags(targetingKey.get(), request.traits())
            : environment.environment().environmentFlags();
    call.respondValidated(
        bulk(call, access, flags),
        environment.version() + (access.serverKey() ? "-s-" : "-c-") + digest(body),
        Optional.empty());
  }

  /** One flag's answer: only that feature is evaluated. */
  private static byte[] single(
      ServedEnvironment environment, OfrepRequest request, String key, boolean serverKey) {
    Optional<Flag> flag =
        request.targetingKey().isPresent()
            ? environment
                .environment()
                .identityFlag(key, request.targetingKey().get(), request.traits())
            : environment.environment().environmentFlag(key);
    if (flag.isEmpty() || !environment.visible(flag.get(), serverKey)) {
      throw ApiException.ofrepFlagNotFound(key);
    }
    return environment.ofrep().answer(flag.get());
  }

  /** The bulk answer, written into this thread's reusable array (given back once sent). */
  private Body bulk(HttpCall call, Environments.Access access, List<Flag> flags) {
    ServedEnvironment environment = access.environment();
    OfrepAnswers answers = environment.ofrep();
    JsonWriter out = new JsonWriter(AnswerBuffers.take());
    out.beginObject().name("flags").beginArray();
    for (Flag flag : flags) {
      if (environment.visible(flag, access.serverKey())) {
        out.rawValue(answers.answer(flag));
      }
    }
    out.endArray().name("metadata").beginObject();
    environment
        .environment()
        .updatedAt()
        .ifPresent(updatedAt -> out.name("version").value(updatedAt));
    out.endObject()
        .name("eventStreams")
        .beginArray()
        .beginObject()
        .name("type")
        .value("sse")
        .name("url")
        .value(call.baseUrl(proxyHeaders) + EVENTS_PREFIX + access.clientKey())
        .name("inactivityDelaySec")
        .value(INACTIVITY_DELAY_SECONDS)
        .endObject()
        .endArray()
        .endObject();
    ByteBuffer answer = out.toByteBuffer();
    byte[] array = answer.array();
    return Body.json(answer, () -> AnswerBuffers.give(array));
  }

  /** The environment key, from the first of the headers OFREP clients and Flagsmith's SDKs use. */
  private static String key(HttpCall call) {
    String key = call.header("X-API-Key");
    if (key != null && !key.isEmpty()) {
      return key;
    }
    String authorization = call.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).strip();
    }
    return call.header(Environments.KEY_HEADER);
  }

  /** Browsers may read the entity tag (for If-None-Match) and a 429/503's Retry-After. */
  private static void exposeHeaders(HttpCall call) {
    if (call.header("Origin") != null) {
      call.setHeader("Access-Control-Expose-Headers", "ETag, Retry-After");
    }
  }

  /** OpenFeature's error code for a failure the rest of the server reports by status. */
  private static String errorCode(int status) {
    switch (status) {
      case 503:
        return "PROVIDER_NOT_READY";
      case 400:
      case 413:
      case 422:
        return "INVALID_CONTEXT";
      default:
        return "GENERAL";
    }
  }

  /** A digest of the request body, for the entity tag: 128 bits in hex. */
  private static String digest(byte[] body) {
    return HexFormat.of().formatHex(Keys.sha256(body), 0, 16);
  }
}
