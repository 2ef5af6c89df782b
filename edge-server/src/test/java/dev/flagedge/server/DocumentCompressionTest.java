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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each document is compressed as it arrives and kept only in that form; {@code
 * /environment-document} serves it as it arrived to clients that do not accept gzip.
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
  void environmentDocument_plainAndGzip_sameDocumentAndMatchingHeaders() throws Exception {
    Answer plain;
    Answer gzip;
    Answer plainAgain;
    Answer gzipAgain;
    try (EdgeServer server = ServerTestSupport.startOffline(file, Optional.of(SERVER))) {
      plain = fetch(server, false);
      gzip = fetch(server, true);
      gzipAgain = fetch(server, true);
      plainAgain = fetch(server, false);
    }

    assertEquals(200, plain.status());
    assertArrayEquals(document, plain.body());
    assertEquals("(absent)", plain.header("content-encoding"));
    assertEquals(Integer.toString(document.length), plain.header("content-length"));
    assertEquals("Accept-Encoding", plain.header("vary"));
    assertEquals(plain, plainAgain);

    assertEquals(200, gzip.status());
    assertEquals("gzip", gzip.header("content-encoding"));
    assertArrayEquals(document, gzip.decoded());
    assertTrue(gzip.body().length < document.length / 5, gzip.toString());
    assertEquals(
        plain.header("etag").replace("\"", "") + "-gz", gzip.header("etag").replace("\"", ""));
    assertEquals("Accept-Encoding", gzip.header("vary"));
    assertEquals(gzip, gzipAgain);
  }

  @Test
  void compression_environmentKeepsOnlyTheCompressedForm_andServesTheSameDocument()
      throws IOException {
    try (EdgeServer server = ServerTestSupport.startOffline(file, Optional.of(SERVER))) {
      assertFalse(keptAsArrived(server), "the uncompressed copy is dropped on arrival");
      assertArrayEquals(document, current(server).documentJson());
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
      LoadedEnvironment loaded = current(server);
      byte[] json = loaded.documentJson();
      assertFalse(loaded.keepDocumentIn(out -> out.write(json)), "kept compressed only");
      assertFalse(server.sync().status("failing_client_key").hasDocument());
    }
  }
}
