package dev.flagedge.server;

/** One line per request when {@code logging.enable_access_log} is on. */
final class AccessLog {
  private static final System.Logger logger = System.getLogger("dev.flagedge.server.access");

  private final boolean enabled;
  private final boolean proxyHeaders;

  AccessLog(boolean enabled, boolean proxyHeaders) {
    this.enabled = enabled;
    this.proxyHeaders = proxyHeaders;
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
