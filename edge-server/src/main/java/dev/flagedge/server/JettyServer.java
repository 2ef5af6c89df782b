package dev.flagedge.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the HTTP server: Jetty's core server (no servlets), whose non-blocking connections let a
 * slow client cost a connection rather than a thread, and which serves about 2.5 times the requests
 * of the JDK's built-in server on the same cores (measured in edge-server/README.md).
 */
final class JettyServer {
  /**
   * The pool: the selector threads (which run the routes), and workers for body arrivals and
   * streamed writes; nothing in it waits for a client.
   */
  static final int MAX_THREADS = 200;

  /** System property: the number of selector threads, overriding one per core. */
  static final String SELECTORS_PROPERTY = "flagedge.selectors";

  private JettyServer() {}

  /**
   * @param keepAlive how long a connection may sit idle, between requests or within one
   */
  static Server create(
      String host, int port, Duration keepAlive, Handler handler, FatalErrors fatalErrors) {
    Server server = new Server(new WorkerThreads(fatalErrors));
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Oversized headers are answered 431 by the router, with its JSON body, up to this hard limit.
    http.setRequestHeaderSize(2 * Limits.MAX_HEADER_BYTES);
    // Paths are only looked up, never mapped to files: odd encodings answer 404, not 400.
    http.setUriCompliance(UriCompliance.UNSAFE);
    ServerConnector connector =
        new ServerConnector(server, -1, selectors(), new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(keepAlive.toMillis());
    connector.setAcceptQueueSize(1024);
    server.addConnector(connector);
    server.addBean(
        new HeaderDeadline(connector, server.getScheduler(), Limits.REQUEST_TIMEOUT.toNanos()));
    server.setHandler(handler);
    server.setErrorHandler(new JsonErrors());
    server.setStopTimeout(1000);
    return server;
  }

  /**
   * One selector per core: routes run on the selector threads ({@link Router#getInvocationType()}),
   * so they are the server's workers, where Jetty's default (half the cores) would leave a core
   * idle.
   */
  static int selectors() {
    return Integer.getInteger(SELECTORS_PROPERTY, Runtime.getRuntime().availableProcessors());
  }

  /** Starts a built server, turning Jetty's checked failure into the port's {@link IOException}. */
  static void start(Server server) throws IOException {
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly(server);
      throw e;
    } catch (Exception e) {
      stopQuietly(server);
      throw new IOException("the HTTP server did not start: " + e, e);
    }
  }

  static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      System.getLogger(JettyServer.class.getName())
          .log(System.Logger.Level.DEBUG, "stopping the HTTP server: {0}", e.toString());
    }
  }

  /** The bound port of a started server. */
  static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /**
   * Answers what Jetty refuses before any route runs (a malformed request line, a header section
   * over the hard limit, a bad Content-Length) with a JSON body like every other error.
   */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback) {
      String reason = HttpStatus.getMessage(code);
      String detail = message == null || message.isBlank() ? reason : message;
      System.getLogger(JettyServer.class.getName())
          .log(
              System.Logger.Level.INFO,
              "refused a malformed request from {0}: {1} {2}",
              Request.getRemoteAddr(request),
              code,
              detail);
      byte[] body =
          ApiException.errorBody(reason.toLowerCase(Locale.ROOT).replace(' ', '_'), detail);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, Body.JSON);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }

  /**
   * Jetty's pool, with the server's fatal-error policy: an error Jetty would log and survive, such
   * as an {@link OutOfMemoryError} in its selector, ends the process instead.
   */
  private static final class WorkerThreads extends QueuedThreadPool {
    private final FatalErrors fatalErrors;

    WorkerThreads(FatalErrors fatalErrors) {
      super(MAX_THREADS, 8);
      this.fatalErrors = fatalErrors;
      setName("edge-server");
    }

    @Override
    protected void onJobFailure(Throwable failure) {
      fatalErrors.checkFatal(failure);
      super.onJobFailure(failure);
    }
  }
}
