package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the server with malformed and hostile requests over raw sockets. Every answered
 * request gets a 4xx or 2xx with a JSON body, never a 5xx; the server keeps answering a
 * well-behaved client throughout. Size: {@code -Dflagedge.fuzz.requests} (default 2,000; the full
 * run is 10,000).
 */
class FuzzTest {
  private static final String CLIENT = "shop_client_key";
  private static final int REQUESTS = Integer.getInteger("flagedge.fuzz.requests", 2000);
  private static final long SEED = Long.getLong("flagedge.fuzz.seed", 20261125L);

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

  @Test
  void hostileRequests_neverAnswer5xxAndServerStaysResponsive() throws Exception {
    Random random = new Random(SEED);
    Map<Integer, AtomicInteger> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    int threadsBefore = Thread.activeCount();
    for (int i = 0; i < REQUESTS; i++) {
      byte[] request = HostileRequests.next(random, CLIENT);
      int status = exchange(request, failures, i);
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      if (i % 250 == 0) {
        assertEquals(
            200,
            ServerTestSupport.get(server, "/api/v1/flags/", CLIENT).statusCode(),
            "a well-behaved client after " + i + " hostile requests");
      }
    }
    System.out.printf("fuzz: %d requests (seed %d), statuses %s%n", REQUESTS, SEED, statuses);
    assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())));
    assertTrue(Thread.activeCount() < threadsBefore + 50, "threads leaked");
  }

  /** Sends raw bytes; returns the status, or 0 when the server closed without answering. */
  private static int exchange(byte[] request, List<String> failures, int index) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        return 0; // the server may refuse to read a huge request; that is fine
      }
      byte[] response = readAll(socket.getInputStream());
      String text = new String(response, StandardCharsets.ISO_8859_1);
      if (text.isEmpty()) {
        return 0;
      }
      int status = Integer.parseInt(text.substring(9, 12));
      boolean json =
          text.toLowerCase().contains("content-type: application/json")
              || text.toLowerCase().contains("content-type: text/plain");
      // Every refusal, including those of the HTTP layer before any route runs, has a JSON body.
      if (status >= 500 || (!json && status != 200 && status != 204)) {
        failures.add(
            "#"
                + index
                + " "
                + status
                + " for "
                + new String(
                    request, 0, Math.min(120, request.length), StandardCharsets.ISO_8859_1));
      }
      return status;
    } catch (SocketTimeoutException e) {
      failures.add(
          "#"
              + index
              + " hung for "
              + new String(request, 0, Math.min(120, request.length), StandardCharsets.ISO_8859_1));
      return -1;
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // a reset after the answer still counts as answered
    }
    return out.toByteArray();
  }
}
