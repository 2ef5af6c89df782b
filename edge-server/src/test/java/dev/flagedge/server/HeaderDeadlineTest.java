package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The header deadline on a bare Jetty server with a 2 s limit: trickled headers are cut off, on a
 * new connection and on a kept-alive one, while idle keep-alive connections (after a request with a
 * body, too) and long responses are left alone.
 */
class HeaderDeadlineTest {
  private static final Duration LIMIT = Duration.ofSeconds(2);

  private Server server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setIdleTimeout(30_000);
    server.addConnector(connector);
    server.addBean(new HeaderDeadline(connector, server.getScheduler(), LIMIT.toNanos()));
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            if (request.getHttpURI().getPath().equals("/slow")) {
              Thread.sleep(LIMIT.multipliedBy(2).toMillis());
            }
            response.getHeaders().put("Content-Length", 2 + body.length());
            Content.Sink.write(response, true, "ok" + body, callback);
            return true;
          }
        });
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void tricklingFirstRequest_closedAfterTheLimit() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      assertHeadersCutAtTheLimit(socket);
    }
  }

  @Test
  void tricklingSecondRequest_onAKeptAliveConnection_closedAfterTheLimit() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      assertEquals("ok", exchange(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      assertHeadersCutAtTheLimit(socket);
    }
  }

  @Test
  void bodyTrickledBeyondTheLimit_thenIdleKeepAlive_leftAlone() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 14\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      // Bodies are RequestBody's to time: this one takes longer than the header limit.
      for (char c : "{\"abcdefgh\":1".toCharArray()) {
        out.write(c);
        out.flush();
        Thread.sleep(350);
      }
      assertEquals("ok{\"abcdefgh\":1}", exchange(socket, "}"));
      Thread.sleep(LIMIT.multipliedBy(2).plusSeconds(1).toMillis());
      assertEquals("ok", exchange(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
  }

  @Test
  void responseLongerThanTheLimit_notCutOff() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      assertEquals("ok", exchange(socket, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
  }

  /** Starts a request's headers, then trickles them: the server must close at the limit. */
  private static void assertHeadersCutAtTheLimit(Socket socket) throws IOException {
    long start = System.nanoTime();
    socket
        .getOutputStream()
        .write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
    long closedAfter = trickleUntilClosed(socket, start);
    assertTrue(closedAfter >= LIMIT.toMillis() - 100, "closed after " + closedAfter + " ms");
  }

  /** Sends a header byte every 300 ms until the server closes; the time from start, in ms. */
  private static long trickleUntilClosed(Socket socket, long start) throws IOException {
    OutputStream out = socket.getOutputStream();
    socket.setSoTimeout(300);
    long deadline = start + LIMIT.toNanos() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      try {
        out.write('X');
        out.flush();
        if (socket.getInputStream().read() < 0) {
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
      } catch (SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      }
    }
    throw new AssertionError("still open " + LIMIT + " + 5 s after the headers began");
  }

  /** Sends a request and reads its response's body (by its Content-Length). */
  private static String exchange(Socket socket, String request) throws IOException {
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed: " + head);
      }
      head.append((char) b);
    }
    String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
    int at = lower.indexOf("content-length: ") + "content-length: ".length();
    int length = Integer.parseInt(lower.substring(at, lower.indexOf("\r\n", at)).strip());
    return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }
}
