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
    return clientKeyIn(path, SUFFIX) != null;
  }

  /** Whether a path is an OFREP stream's, with a key after the prefix. */
  static boolean matchesOfrep(String path) {
    return ofrepClientKey(path) != null;
  }

  private static String ofrepClientKey(String path) {
    String prefix = OfrepRoute.EVENTS_PREFIX;
    return path.startsWith(prefix)
            && path.length() > prefix.length()
            && path.indexOf('/', prefix.length()) < 0
        ? path.substring(prefix.length())
        : null;
  }

  /**
   * The client key of a path {@code /sse/environments/{client_key}{suffix}}, where the suffix
   * starts with a slash; null for any other path.
   */
  static String clientKeyIn(String path, String suffix) {
    boolean shaped =
        path.startsWith(PREFIX)
            && path.endsWith(suffix)
            && path.length() > PREFIX.length() + suffix.length()
            && path.indexOf('/', PREFIX.length()) == path.length() - suffix.length();
    return shaped ? path.substring(PREFIX.length(), path.length() - suffix.length()) : null;
  }

  @Override
  public void handle(HttpCall call) {
    String clientKey =
        format == EventStream.Format.OFREP
            ? ofrepClientKey(call.path())
            : clientKeyIn(call.path(), SUFFIX);
    streams.add(call.openStream(clientKey, format, streams), () -> environments.served(clientKey));
  }
}
