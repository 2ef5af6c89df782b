package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every realtime frame is complete on the wire as soon as it is written, for clients that read an
 * HTTP/1.1 body strictly by its framing: a chunk reader that hands a chunk on only once the CRLF
 * ending it has arrived (urllib3, under the Flagsmith Python SDK) must not wait for the next frame.
 */
class StreamFramingTest {
  private static final String SERVER_KEY = "ser.framing_server_key";
  private static final String CLIENT_KEY = "framing_client_key";
  private static final String SSE_TOKEN = "sse-token-for-framing";
  private static final String STREAM_PATH = "/sse/environments/" + CLIENT_KEY + "/stream";

  private MockWebServer upstream;
  private final AtomicReference<String> document = new AtomicReference<>(version("10:00:00"));
  private EdgeServer server;

  private static String version(String time) {
    return ServerTestSupport.document(CLIENT_KEY, time)
        .replace("2026-11-25T10:00:00.000000Z", "2026-11-25T" + time + "Z");
  }

  @BeforeEach
  void start() throws IOException {
    upstream =
        ServerTestSupport.upstream(request -> ServerTestSupport.upstreamJson(document.get()));
    server =
        ServerTestSupport.startPushed(
            upstream, SERVER_KEY, CLIENT_KEY, SSE_TOKEN, Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  /** Serves a newer document at once, as a self-hosted Flagsmith's change notice does. */
  private long change(String time) {
    document.set(version(time));
    long at = System.currentTimeMillis();
    var answer =
        ServerTestSupport.send(
            ServerTestSupport.request(server, "/sse/environments/" + CLIENT_KEY + "/queue-change")
                .header("Authorization", "Token " + SSE_TOKEN)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"updated_at\": \"2026-11-25T" + time + "+00:00\"}"))
                .build());
    assertEquals(200, answer.statusCode(), answer.body());
    return at;
  }

  @Test
  void http11Stream_eachFrameAndTheBytesEndingItArriveWithoutTheNextFrame() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + STREAM_PATH
                      + " HTTP/1.1\r\nHost: localhost\r\n"
                      + "Accept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(5000);
      FramedReader reader = new FramedReader(socket.getInputStream());
      String headers = reader.headers().toLowerCase(Locale.ROOT);
      assertTrue(headers.startsWith("http/1.1 200"), headers);

      FramedReader.Frame first = reader.frame();
      assertTrue(first.text().contains("1795600800.0"), first.text());
      assertTrue(first.endedWithinMillis() <= 100, first + " took too long to end");

      long changedAt = change("10:00:02.5");
      FramedReader.Frame event = reader.frame();
      assertEquals(
          "event: environment_updated\ndata: {\"updated_at\": 1795600802.5}\nretry: 15000\n\n",
          event.text());
      assertTrue(event.endedWithinMillis() <= 100, event + " took too long to end");
      long latency = event.endedAt() - changedAt;
      assertTrue(latency < 1000, "the event ended " + latency + " ms after the change");
    }
  }

  @Test
  void http11Stream_completeChunksOnAConnectionThatEnds_http10Unframed() throws IOException {
    String http11 = streamHeaders("HTTP/1.1");
    assertTrue(http11.contains("\r\ntransfer-encoding: chunked\r\n"), http11);
    assertEquals(1, http11.split("transfer-encoding", -1).length - 1, http11);
    assertTrue(http11.contains("\r\nconnection: close\r\n"), http11);
    assertFalse(http11.contains("content-length"), http11);
    String http10 = streamHeaders("HTTP/1.0");
    assertFalse(http10.contains("transfer-encoding"), http10);
    assertFalse(http10.contains("content-length"), http10);
  }

  private String streamHeaders(String version) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET " + STREAM_PATH + " " + version + "\r\nHost: localhost\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(5000);
      return new FramedReader(socket.getInputStream()).headers().toLowerCase(Locale.ROOT);
    }
  }

  @Test
  void http11Stream_endsWithTheLastChunkThenTheConnection() throws IOException {
    server.close();
    server = null;
    try (EdgeServer shortStreams =
            ServerTestSupport.startPushed(
                upstream, SERVER_KEY, CLIENT_KEY, SSE_TOKEN, Duration.ofSeconds(1));
        Socket socket = new Socket("127.0.0.1", shortStreams.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET " + STREAM_PATH + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(10_000);
      String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      String body = all.substring(all.indexOf("\r\n\r\n") + 4);
      String frame =
          "event: environment_updated\ndata: {\"updated_at\": 1795600800.0}\nretry: 15000\n\n";
      assertEquals(Integer.toHexString(frame.length()) + "\r\n" + frame + "\r\n0\r\n\r\n", body);
    }
  }

  @Test
  void pythonHttpClient_chunkStrictFixedSizeReader_seesTheChangeWithinOneSecond() throws Exception {
    long latency = pythonReaderLatency("stdlib");
    System.out.println("change to event at a Python http.client reader: " + latency + " ms");
  }

  /** The Python SDK's own HTTP stack, where the machine's python3 has requests installed. */
  @Test
  void pythonRequestsStream_seesTheChangeWithinOneSecond() throws Exception {
    long latency = pythonReaderLatency("requests");
    System.out.println("change to event at a Python requests stream: " + latency + " ms");
  }

  private long pythonReaderLatency(String mode) throws Exception {
    Path script = Files.createTempFile("sse_strict_reader", ".py");
    try (InputStream in = getClass().getResourceAsStream("/python/sse_strict_reader.py")) {
      Files.write(script, in.readAllBytes());
    }
    Process python =
        python(script.toString(), mode, "127.0.0.1", String.valueOf(server.port()), STREAM_PATH);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readLines(python, lines), "python-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      String status = lines.poll(10, TimeUnit.SECONDS);
      assertNotNull(status, "the Python reader printed nothing");
      assumeTrue(!status.equals("requests is not installed"), status);
      assertTrue(status.startsWith("status 200"), status);
      String first = lines.poll(5, TimeUnit.SECONDS);
      assertNotNull(first, "no first event");
      assertTrue(first.endsWith("data: {\"updated_at\": 1795600800.0}|retry: 15000"), first);

      long changedAt = change("10:00:03.75");
      String event = lines.poll(5, TimeUnit.SECONDS);
      assertNotNull(event, "the change never reached the Python reader");
      assertTrue(
          event.endsWith(
              "event: environment_updated|data: {\"updated_at\": 1795600803.75}|retry: 15000"),
          event);
      long latency = Long.parseLong(event.substring(0, event.indexOf(' '))) - changedAt;
      assertTrue(latency < 1000, "the Python reader saw the change after " + latency + " ms");
      return latency;
    } finally {
      python.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      Files.deleteIfExists(script);
    }
  }

  /**
   * Starts python3, which CI machines have; a machine without it skips, except under CI, where the
   * test must run.
   */
  private static Process python(String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "python3";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(System.getenv("CI") != null, "python3 is needed for the Python reader test");
      throw e;
    }
  }

  private static void readLines(Process process, BlockingQueue<String> lines) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("read failed: " + e);
    }
  }

  /**
   * Reads an HTTP/1.1 response's body by its declared framing (chunked, or to the connection's
   * end), noting when each SSE frame began to arrive and when the bytes ending it — the frame's
   * blank line and, when chunked, the CRLF after its chunk — were all read.
   */
  static final class FramedReader {
    record Frame(String text, long startedAt, long endedAt) {
      long endedWithinMillis() {
        return endedAt - startedAt;
      }
    }

    private final InputStream in;
    private boolean chunked;
    private long chunkLeft = -1;

    FramedReader(InputStream in) {
      this.in = in;
    }

    String headers() throws IOException {
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        seen.write(next());
      }
      String text = seen.toString(StandardCharsets.ISO_8859_1);
      chunked = text.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
      return text;
    }

    Frame frame() throws IOException {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      long startedAt = 0;
      while (!frame.toString(StandardCharsets.UTF_8).endsWith("\n\n")) {
        int b = bodyByte();
        if (startedAt == 0) {
          startedAt = System.currentTimeMillis();
        }
        frame.write(b);
      }
      if (chunked && chunkLeft == 0) {
        expect('\r');
        expect('\n');
        chunkLeft = -1;
      }
      return new Frame(
          frame.toString(StandardCharsets.UTF_8), startedAt, System.currentTimeMillis());
    }

    private int bodyByte() throws IOException {
      if (!chunked) {
        return next();
      }
      if (chunkLeft == 0) {
        expect('\r');
        expect('\n');
        chunkLeft = -1;
      }
      if (chunkLeft < 0) {
        StringBuilder size = new StringBuilder();
        int b;
        while ((b = next()) != '\r') {
          size.append((char) b);
        }
        expect('\n');
        chunkLeft = Long.parseLong(size.toString().strip(), 16);
      }
      chunkLeft--;
      return next();
    }

    private void expect(int expected) throws IOException {
      int b = next();
      if (b != expected) {
        throw new IOException("framing: expected " + expected + ", read " + b);
      }
    }

    private int next() throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the stream ended");
      }
      return b;
    }
  }
}
