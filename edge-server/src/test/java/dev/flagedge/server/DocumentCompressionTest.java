package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.sync.LoadedEnvironment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /environment-document} serves the same bytes and headers whether the document is still
 * kept as it arrived or only compressed, and while it is being compressed.
 */
class DocumentCompressionTest {
  private static final String CLIENT = "shop_client_key";
  private static final String SERVER = "ser.shop_server_key";

  @TempDir static Path dir;
  private static Path file;
  private static byte[] document;

  /** The test shop document, padded to 300 KB so that compressing it takes a while. */
  @BeforeAll
  static void document() throws IOException {
    String shop = Files.readString(ServerTestSupport.document(dir, "shop.json")).strip();
    StringBuilder padding = new StringBuilder();
    for (int i = 0; i < 6_000; i++) {
      padding.append(i == 0 ? "" : ",").append("{\"id\": ").append(i).append(", \"on\": true}");
    }
    document =
        (shop.substring(0, shop.length() - 1) + ", \"x_padding\": [" + padding + "]}")
            .getBytes(StandardCharsets.UTF_8);
    file = dir.resolve("padded.json");
    Files.write(file, document);
  }

  /** A server whose documents stay as they arrived until a request or the test says otherwise. */
  private static EdgeServer startUncompressed() throws IOException {
    return EdgeServer.start(
        ServerConfig.builder()
            .port(0)
            .host("127.0.0.1")
            .environmentFile(file, Optional.of(SERVER))
            .build(),
        FatalErrors.EMBEDDED,
        false);
  }

  /** What a client sees: the status, the headers but the date, and the body as sent. */
  private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Answer that
          && status == that.status
          && headers.equals(that.headers)
          && java.util.Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
      return status;
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body.length + " bytes";
    }

    String header(String name) {
      return headers.getOrDefault(name, List.of("(absent)")).get(0);
    }

    byte[] decoded() {
      if (!header("content-encoding").equals("gzip")) {
        return body;
      }
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static Answer fetch(EdgeServer server, boolean acceptGzip) {
    var request =
        request(server, "/api/v1/environment-document/").header("X-Environment-Key", SERVER);
    if (acceptGzip) {
      request.header("Accept-Encoding", "gzip");
    }
    try {
      HttpResponse<byte[]> response =
          ServerTestSupport.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
      headers.remove("date");
      return new Answer(response.statusCode(), headers, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static LoadedEnvironment current(EdgeServer server) {
    return server.sync().current(CLIENT).orElseThrow();
  }

  /** Whether the environment still keeps the bytes as they arrived: a form could take them. */
  private static boolean keptAsArrived(EdgeServer server) {
    return current(server).keepDocumentIn(out -> out.write(document));
  }

  @Test
  void environmentDocument_beforeAndAfterCompression_sameBytesAndHeaders() throws Exception {
    Answer plainBefore;
    Answer gzipOnDemand;
    Answer plainAfter;
    Answer gzipAfter;
    try (EdgeServer server = startUncompressed()) {
      plainBefore = fetch(server, false);
      assertFalse(server.documents().awaitCompressed(Duration.ZERO), "not compressed yet");
      gzipOnDemand = fetch(server, true); // the first request for the gzip form makes it
      server.documents().start();
      assertTrue(server.documents().awaitCompressed(Duration.ofSeconds(10)));
      plainAfter = fetch(server, false);
      gzipAfter = fetch(server, true);
    }
    Answer plainBackground;
    Answer gzipBackground;
    try (EdgeServer server = ServerTestSupport.startOffline(file, Optional.of(SERVER))) {
      assertTrue(server.documents().awaitCompressed(Duration.ofSeconds(10)));
      gzipBackground = fetch(server, true);
      plainBackground = fetch(server, false);
    }

    assertEquals(200, plainBefore.status());
    assertArrayEquals(document, plainBefore.body());
    assertEquals("(absent)", plainBefore.header("content-encoding"));
    assertEquals(Integer.toString(document.length), plainBefore.header("content-length"));
    assertEquals("Accept-Encoding", plainBefore.header("vary"));
    assertEquals(plainBefore, plainAfter);
    assertEquals(plainBefore, plainBackground);

    assertEquals(200, gzipOnDemand.status());
    assertEquals("gzip", gzipOnDemand.header("content-encoding"));
    assertArrayEquals(document, gzipOnDemand.decoded());
    assertTrue(gzipOnDemand.body().length < document.length / 5, gzipOnDemand.toString());
    assertEquals(
        plainBefore.header("etag").replace("\"", "") + "-gz",
        gzipOnDemand.header("etag").replace("\"", ""));
    assertEquals(gzipOnDemand, gzipAfter);
    assertEquals(gzipOnDemand, gzipBackground);
  }

  @Test
  void compression_environmentKeepsOnlyTheCompressedForm_andServesTheSameDocument()
      throws IOException, InterruptedException {
    try (EdgeServer server = startUncompressed()) {
      server.documents().start();
      assertTrue(server.documents().awaitCompressed(Duration.ofSeconds(10)));
      assertFalse(keptAsArrived(server), "the uncompressed copy is dropped");
      assertArrayEquals(document, current(server).documentJson());
    }
    try (EdgeServer server = startUncompressed()) {
      fetch(server, false);
      assertTrue(keptAsArrived(server), "serving uncompressed does not compress");
    }
  }

  @Test
  void compression_anEnvironmentKeepsFailing_theLoadedOnesAreCompressedAnyway() throws Exception {
    String failing = "ser.failing_server_key";
    try (MockWebServer upstream =
            ServerTestSupport.upstream(
                request ->
                    failing.equals(request.getHeaders().get("X-Environment-Key"))
                        ? new MockResponse.Builder().code(500).body("down").build()
                        : ServerTestSupport.upstreamJson(
                            ServerTestSupport.document(CLIENT, "v1")));
        EdgeServer server =
            EdgeServer.start(
                ServerConfig.builder()
                    .environment(SERVER, CLIENT)
                    .environment(failing, "failing_client_key")
                    .host("127.0.0.1")
                    .port(0)
                    .apiUrl(upstream.url("/api/v1").uri())
                    .pollTimeout(Duration.ofSeconds(1))
                    .build())) {
      assertTrue(server.documents().awaitCompressed(Duration.ofSeconds(10)));
      LoadedEnvironment loaded = current(server);
      byte[] json = loaded.documentJson();
      assertFalse(loaded.keepDocumentIn(out -> out.write(json)), "kept compressed only");
      assertFalse(server.sync().status("failing_client_key").hasDocument());
    }
  }

  @Test
  void environmentDocument_requestsWhileCompressing_allGetTheSameAnswer() throws Exception {
    Answer plain;
    Answer gzip;
    try (EdgeServer reference = startUncompressed()) {
      plain = fetch(reference, false);
      gzip = fetch(reference, true);
    }
    int clients = 8;
    int requests = 10;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (EdgeServer server = startUncompressed()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Answer>>> answers = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        boolean acceptGzip = c % 2 == 0;
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  List<Answer> got = new ArrayList<>();
                  for (int r = 0; r < requests; r++) {
                    got.add(fetch(server, acceptGzip ^ (r % 2 == 1)));
                  }
                  return got;
                }));
      }
      go.countDown();
      server.documents().start(); // compresses while the requests come
      for (Future<List<Answer>> future : answers) {
        for (Answer answer : future.get()) {
          assertEquals(answer.header("content-encoding").equals("gzip") ? gzip : plain, answer);
        }
      }
      assertTrue(server.documents().awaitCompressed(Duration.ofSeconds(10)));
      assertEquals(plain, fetch(server, false));
      assertEquals(gzip, fetch(server, true));
    } finally {
      pool.shutdownNow();
    }
  }
}
