package dev.flagedge.server;

/** One line per request when {@code logging.enable_access_log} is on. */
final class AccessLog {
  private static final System.Logger logger = System.getLogger("dev.flagedge.server.access");

  private volatile boolean enabled;
  private volatile boolean proxyHeaders;

  AccessLog(boolean enabled, boolean proxyHeaders) {
    this.enabled = enabled;
    this.proxyHeaders = proxyHeaders;
  }

  /** Turns the access log on or off, as a reloaded configuration says. */
  /**
   * Whether {@code X-Forwarded-For} names the client from now on ({@code server.proxy_headers}).
   */
  void proxyHeaders(boolean proxyHeaders) {
    this.proxyHeaders = proxyHeaders;
  }

  void enabled(boolean enabled) {
    this.enabled = enabled;
  }

  void log(HttpCall call) {
    if (enabled) {
      logger.log(
          System.Logger.Level.INFO,
          "{0} - \"{1} {2}\" {3}",
          call.clientAddress(proxyHeaders),
          call.method(),
          call.path(),
          Integer.toString(call.status()));
    }
  }
}
