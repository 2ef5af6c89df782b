package dev.flagedge.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Creates the JDK's HTTP server with the settings it only takes as system properties, read once when
 * its classes load: every server in the process must come from here, before any other.
 */
final class JdkHttpServer {
  static {
    // Without TCP_NODELAY small responses wait ~40 ms for delayed ACKs.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // A request must arrive, headers and body, within this time, or its connection is closed.
    System.setProperty("sun.net.httpserver.maxReqTime",
        Long.toString(Limits.REQUEST_TIMEOUT.toSeconds()));
    System.setProperty("sun.net.httpserver.maxRspTime",
        Long.toString(Limits.RESPONSE_TIMEOUT.toSeconds()));
  }

  private JdkHttpServer() {}

  /**
   * @param keepAlive how long an idle connection stays open; the first server created decides it
   */
  static HttpServer create(InetSocketAddress address, int backlog, Duration keepAlive)
      throws IOException {
    System.setProperty("sun.net.httpserver.idleInterval",
        Long.toString(Math.max(1, keepAlive.toSeconds())));
    return HttpServer.create(address, backlog);
  }
}
