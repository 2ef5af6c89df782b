package dev.flagedge.server;

/**
 * A realtime stream of an environment's changes. {@code GET /sse/environments/{client_key}/stream}
 * is the one Flagsmith's SDKs follow ({@code realtime_api_url} and the like pointed at this
 * server); {@code GET /ofrep/v1/events/{client_key}} is the one OFREP providers follow, named in
 * the bulk evaluation's {@code eventStreams}. No key header (a browser's EventSource cannot send
 * one): the client key is in the path. An unknown key, or one whose document has not loaded, still
 * gets a stream (keep-alives until the maximum age): answering it 4xx at once would send some
 * clients into a reconnect loop.
 */
final class StreamRoute implements Route {
  static final String PREFIX = "/sse/environments/";
  private static final String SUFFIX = "/stream";

  private final Environments environments;
  private final Streams streams;
  private final EventStream.Format format;

  StreamRoute(Environments environments, Streams streams, EventStream.Format format) {
    this.environments = environments;
    this.streams = streams;
    this.format = format;
  }

  /** Whether a path is a Flagsmith stream's, with a key between prefix and suffix. */
  static boolean matches(String path) {
    return keyIn(path, PREFIX, SUFFIX) != null;
  }

  /** Whether a path is an OFREP stream's, with a key after the prefix. */
  static boolean matchesOfrep(String path) {
    return keyIn(path, OfrepRoute.EVENTS_PREFIX, "") != null;
  }

  /**
   * The client key of a path {@code /sse/environments/{client_key}{suffix}}; null for any other
   * path.
   */
  static String clientKeyIn(String path, String suffix) {
    return keyIn(path, PREFIX, suffix);
  }

  /** The key of a path {@code {prefix}{key}{suffix}}: not empty, no slash; null otherwise. */
  private static String keyIn(String path, String prefix, String suffix) {
    if (!path.startsWith(prefix)
        || !path.endsWith(suffix)
        || path.length() <= prefix.length() + suffix.length()) {
      return null;
    }
    String key = path.substring(prefix.length(), path.length() - suffix.length());
    return key.indexOf('/') < 0 ? key : null;
  }

  @Override
  public void handle(HttpCall call) {
    String clientKey =
        format == EventStream.Format.OFREP
            ? keyIn(call.path(), OfrepRoute.EVENTS_PREFIX, "")
            : keyIn(call.path(), PREFIX, SUFFIX);
    streams.add(call.openStream(clientKey, format, streams), () -> environments.served(clientKey));
  }
}
