package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send their request slowly hold no worker (bodies are read as they arrive), so more
 * of them than there are workers cannot starve the others; they are cut off at the request
 * deadline.
 */
class SlowClientsTest {
  private static final String CLIENT = "shop_client_key";
  private static final String BIG_CLIENT = "big_client_key";
  private static final String BIG_SERVER = "ser.big_server_key";
  private static final int SLOW_CLIENTS = JettyServer.MAX_THREADS + 100;

  @TempDir static Path dir;
  private static EdgeServer server;

  @BeforeAll
  static void start() {
    server = ServerTestSupport.startOffline(dir, "shop.json");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Headers and the first byte of a 1,000-byte body, then nothing more. */
  private static Socket slowClient() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /api/v1/identities/ HTTP/1.1\r\nHost: localhost\r\nX-Environment-Key: "
                + CLIENT
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  @Test
  void slowReaderOfAStreamedDocument_holdsNoSelector_otherConnectionsAnswered() throws Exception {
    // Routes run on the selector threads; a streamed write must move to a worker, or a client that
    // stops reading blocks every connection of its selector. With one selector, that is all of
    // them.
    Path file = dir.resolve("big.json");
    // Larger than the socket buffers of both ends (4 MiB send buffer at most here).
    Files.writeString(file, ServerTestSupport.document(BIG_CLIENT, "x".repeat(16 << 20)));
    System.setProperty(JettyServer.SELECTORS_PROPERTY, "1");
    EdgeServer oneSelector;
    try {
      oneSelector = ServerTestSupport.startOffline(file, Optional.of(BIG_SERVER));
    } finally {
      System.clearProperty(JettyServer.SELECTORS_PROPERTY);
    }
    try (oneSelector;
        Socket reader = new Socket()) {
      reader.setReceiveBufferSize(4096);
      reader.connect(new InetSocketAddress("127.0.0.1", oneSelector.port()));
      reader
          .getOutputStream()
          .write(
              ("GET /api/v1/environment-document/ HTTP/1.1\r\nHost: localhost\r\n"
                      + "X-Environment-Key: "
                      + BIG_SERVER
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = reader.getInputStream();
      byte[] head = in.readNBytes(12); // the answer has begun; no more is read for now
      assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
      for (int i = 0; i < 5; i++) {
        // ServerTestSupport's requests time out after 10 s: a blocked selector fails here.
        assertEquals(
            200, ServerTestSupport.get(oneSelector, "/api/v1/flags/", BIG_CLIENT).statusCode());
      }
      reader.setSoTimeout(10_000);
      String headers = readHeaders(in);
      long length = Long.parseLong(headers.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
      assertEquals(Files.size(file), length, headers);
      assertEquals(length, bodyBytes(in, length), "the document was cut short");
    }
  }

  /** How many bytes of a body of the given length arrive before the connection closes. */
  private static long bodyBytes(InputStream in, long length) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    int n;
    while (total < length && (n = in.read(chunk)) > 0) {
      total += n;
    }
    return total;
  }

  /** The rest of a response's header section. */
  private static String readHeaders(InputStream in) throws IOException {
    StringBuilder headers = new StringBuilder();
    while (!headers.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed within the headers: " + headers);
      }
      headers.append((char) b);
    }
    return headers.toString();
  }

  @Test
  void slowBodies_otherClientsStillAnswered_slowOnesClosedAtTheDeadline() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW_CLIENTS; i++) {
        slow.add(slowClient());
      }
      for (int i = 0; i < 20; i++) {
        // ServerTestSupport's requests time out after 10 s: a starved server fails here.
        assertEquals(200, ServerTestSupport.get(server, "/api/v1/flags/", CLIENT).statusCode());
      }
      long deadline = System.nanoTime() + Limits.REQUEST_TIMEOUT.toNanos() + 5_000_000_000L;
      for (Socket socket : slow) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        socket.setSoTimeout((int) left);
        assertTrue(
            closedByServer(socket.getInputStream()),
            "a slow client was still connected " + Limits.REQUEST_TIMEOUT + " + 5 s after sending");
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void slowHeaders_aByteEveryTwoSeconds_closedAtTheDeadline() throws Exception {
    // Two seconds between bytes keeps the connection from ever being idle long enough to time out.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /api/v1/flags/ HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      long limit = Limits.REQUEST_TIMEOUT.toNanos() + 5_000_000_000L;
      boolean closed = false;
      while (!closed && System.nanoTime() - start < limit) {
        try {
          out.write('X');
          out.flush();
        } catch (IOException e) {
          closed = true;
          break;
        }
        socket.setSoTimeout(2000);
        try {
          closed = socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
          // still open: send the next byte
        } catch (IOException e) {
          closed = true;
        }
      }
      assertTrue(
          closed,
          "a client trickling its headers was still connected "
              + Limits.REQUEST_TIMEOUT
              + " + 5 s after it began");
      assertTrue(
          System.nanoTime() - start > Limits.REQUEST_TIMEOUT.toNanos() - 1_000_000_000L,
          "closed before the deadline, by something else");
    }
  }

  /**
   * Whether the server ended the connection (EOF or reset) rather than letting the read time out.
   */
  private static boolean closedByServer(InputStream in) throws IOException {
    try {
      while (in.read() >= 0) {
        // a response, if any, then the end
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
