package dev.flagedge.server;

/**
 * {@code GET /sse/environments/{client_key}/stream}: the realtime stream Flagsmith's SDKs follow
 * ({@code realtime_api_url} and the like pointed at this server). No key header: the client key is
 * in the path. An unknown key, or one whose document has not loaded, still gets a stream
 * (keep-alives until the maximum age): answering it 4xx at once would send some SDKs into a
 * reconnect loop.
 */
final class StreamRoute implements Route {
  static final String PREFIX = "/sse/environments/";
  private static final String SUFFIX = "/stream";

  private final Environments environments;
  private final Streams streams;

  StreamRoute(Environments environments, Streams streams) {
    this.environments = environments;
    this.streams = streams;
  }

  /** Whether a path is a stream's, with a key between prefix and suffix. */
  static boolean matches(String path) {
    return clientKeyIn(path, SUFFIX) != null;
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
    String clientKey = clientKeyIn(call.path(), SUFFIX);
    streams.add(call.openStream(clientKey, streams), () -> environments.updatedAt(clientKey));
  }
}
