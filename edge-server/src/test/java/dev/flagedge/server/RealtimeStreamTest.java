package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The realtime stream over real HTTP: the frame byte for byte, one event per change per client,
 * keep-alives, the maximum age, unknown keys, the updated-at header, shutdown, and OkHttp's SSE
 * client (the one the Android SDK uses) as a consumer.
 */
class RealtimeStreamTest {
  private static final String SERVER_KEY = "ser.realtime_server_key";
  private static final String CLIENT_KEY = "realtime_client_key";
  private static final String SSE_TOKEN = "sse-token-for-tests";
  private static final String EVENT_V1 =
      "event: environment_updated\n" + "data: {\"updated_at\": 1795600800.0}\nretry: 15000\n\n";

  private final MockWebServer upstream = new MockWebServer();
  private final AtomicReference<String> document = new AtomicReference<>(version(1, "10:00:00"));
  private EdgeServer server;

  /** The test document with banner v{n}, updated at 2026-11-25T{time} UTC. */
  private static String version(int n, String time) {
    return ServerTestSupport.document(CLIENT_KEY, "v" + n)
        .replace("2026-11-25T10:00:00.000000Z", "2026-11-25T" + time + "Z");
  }

  @BeforeEach
  void startUpstream() throws IOException {
    upstream.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return ServerTestSupport.upstreamJson(document.get());
          }
        });
    upstream.start(0);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  private EdgeServer start(Duration maxAge) {
    return start(maxAge, Duration.ofSeconds(1));
  }

  private EdgeServer start(Duration maxAge, Duration pollInterval) {
    try {
      return EdgeServer.start(
          ServerConfig.builder()
              .environment(SERVER_KEY, CLIENT_KEY)
              .host("127.0.0.1")
              .port(0)
              .apiUrl(upstream.url("/api/v1").uri())
              .pollInterval(pollInterval)
              .pollTimeout(Duration.ofSeconds(2))
              .streamMaxAge(maxAge)
              .sseAuthenticationToken(SSE_TOKEN)
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A stream over HTTP/1.0, so the body arrives as sent (no chunk framing) until the server ends
   * it.
   */
  private Socket open(String clientKey) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket
        .getOutputStream()
        .write(
            ("GET /sse/environments/"
                    + clientKey
                    + "/stream HTTP/1.0\r\n"
                    + "Accept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /**
   * Reads until {@code frames} frames (blank-line terminated) arrived after the headers (if this
   * read starts with them), the server ended the stream ({@code <EOF>}), or the time is up.
   */
  private static String read(Socket socket, int frames, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return seen.toString(StandardCharsets.UTF_8);
      }
      socket.setSoTimeout((int) left);
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        return seen.toString(StandardCharsets.UTF_8);
      }
      if (b < 0) {
        return seen.toString(StandardCharsets.UTF_8) + "<EOF>";
      }
      seen.write(b);
      String text = seen.toString(StandardCharsets.UTF_8);
      int headersEnd = text.startsWith("HTTP/") ? text.indexOf("\r\n\r\n") : -4;
      if ((headersEnd >= 0 || !text.startsWith("HTTP/"))
          && text.substring(Math.max(0, headersEnd + 4)).split("\n\n", -1).length - 1 >= frames) {
        return text;
      }
    }
  }

  private static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  @Test
  void stream_firstEvent_byteForByteWithHeaders() throws IOException {
    server = start(Duration.ofSeconds(30));
    try (Socket socket = open(CLIENT_KEY)) {
      String response = read(socket, 1, Duration.ofSeconds(5));
      assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
      assertTrue(response.contains("\r\nContent-Type: text/event-stream\r\n"), response);
      assertTrue(response.contains("\r\nCache-Control: no-cache\r\n"), response);
      assertTrue(response.contains("\r\nX-Accel-Buffering: no\r\n"), response);
      assertTrue(response.contains("\r\nAccess-Control-Allow-Origin: *\r\n"), response);
      assertEquals(EVENT_V1, body(response));
    }
  }

  @Test
  void documentChange_oneEventPerClient_onlyWhenUpdatedAtIsNewer() throws IOException {
    server = start(Duration.ofSeconds(30));
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        Socket socket = open(CLIENT_KEY);
        clients.add(socket);
        assertEquals(EVENT_V1, body(read(socket, 1, Duration.ofSeconds(5))));
      }
      document.set(version(2, "10:00:00")); // new content, same updated_at: no event
      ServerTestSupport.waitUntil(
          () ->
              "v2"
                  .equals(
                      ServerTestSupport.json(
                              get(server, "/api/v1/flags/?feature=banner", CLIENT_KEY))
                          .get("feature_state_value")
                          .textValue()),
          Duration.ofSeconds(10),
          "the v2 document");
      document.set(version(3, "10:00:01.250000"));
      for (Socket socket : clients) {
        assertEquals(
            "event: environment_updated\ndata: {\"updated_at\": 1795600801.25}\n"
                + "retry: 15000\n\n",
            read(socket, 1, Duration.ofSeconds(10)));
      }
    } finally {
      for (Socket socket : clients) {
        socket.close();
      }
    }
  }

  @Test
  void stream_keepAliveCommentAfter15QuietSeconds() throws IOException {
    server = start(Duration.ofSeconds(60));
    try (Socket socket = open(CLIENT_KEY)) {
      read(socket, 1, Duration.ofSeconds(5));
      long start = System.nanoTime();
      String ping = read(socket, 1, Duration.ofSeconds(20));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertEquals(": ping\n\n", ping);
      assertTrue(seconds >= 13 && seconds <= 17, "keep-alive after " + seconds + " s");
    }
  }

  @Test
  void stream_maxAge_endedCleanly() throws IOException {
    server = start(Duration.ofSeconds(1));
    try (Socket socket = open(CLIENT_KEY)) {
      long start = System.nanoTime();
      String response = read(socket, 5, Duration.ofSeconds(10));
      assertTrue(response.endsWith(EVENT_V1 + "<EOF>"), response);
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
    }
  }

  @Test
  void stream_unknownKey_200WithKeepAlivesOnly() throws IOException {
    server = start(Duration.ofSeconds(2));
    try (Socket socket = open("no_such_key")) {
      String response = read(socket, 5, Duration.ofSeconds(10));
      assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
      assertEquals(": ping\n\n<EOF>", body(response));
    }
  }

  @Test
  void sdkEndpoints_sendDocumentUpdatedAtHeader() {
    server = start(Duration.ofSeconds(30));
    assertEquals(
        "1795600800.0",
        get(server, "/api/v1/flags/", CLIENT_KEY)
            .headers()
            .firstValue(Environments.UPDATED_AT_HEADER)
            .orElse(null));
    assertEquals(
        "1795600800.0",
        get(server, "/api/v1/identities/?identifier=a", CLIENT_KEY)
            .headers()
            .firstValue(Environments.UPDATED_AT_HEADER)
            .orElse(null));
    assertEquals(
        "1795600800.0",
        get(server, "/api/v1/environment-document/", SERVER_KEY)
            .headers()
            .firstValue(Environments.UPDATED_AT_HEADER)
            .orElse(null));
  }

  private HttpResponse<String> queueChange(String clientKey, String authorization, String body) {
    HttpRequest.Builder request =
        ServerTestSupport.request(server, "/sse/environments/" + clientKey + "/queue-change")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return ServerTestSupport.send(request.build());
  }

  @Test
  void queueChange_withToken_documentFetchedAtOnceAndEventPushed() throws IOException {
    server = start(Duration.ofSeconds(60), Duration.ofHours(1));
    try (Socket socket = open(CLIENT_KEY)) {
      assertEquals(EVENT_V1, body(read(socket, 1, Duration.ofSeconds(5))));
      document.set(version(4, "10:00:02.5"));
      var answer =
          queueChange(
              CLIENT_KEY,
              "Token " + SSE_TOKEN,
              "{\"updated_at\": \"2026-11-25T10:00:02.500000+00:00\"}");
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals(
          "event: environment_updated\ndata: {\"updated_at\": 1795600802.5}\n" + "retry: 15000\n\n",
          read(socket, 1, Duration.ofSeconds(5)));
    }
  }

  @Test
  void queueChange_missingOrWrongToken401_badBody422() {
    server = start(Duration.ofSeconds(30));
    String body = "{\"updated_at\": \"2026-11-25T10:00:02Z\"}";
    assertEquals(401, queueChange(CLIENT_KEY, null, body).statusCode());
    assertEquals(401, queueChange(CLIENT_KEY, "Token wrong", body).statusCode());
    assertEquals(401, queueChange(CLIENT_KEY, SSE_TOKEN, body).statusCode());
    for (String bad :
        List.of("", "[]", "{}", "{\"updated_at\": 5}", "{\"updated_at\": \"yesterday\"}")) {
      var answer = queueChange(CLIENT_KEY, "Token " + SSE_TOKEN, bad);
      assertEquals(422, answer.statusCode(), bad);
      assertEquals(
          "unprocessable_entity", ServerTestSupport.json(answer).get("status").textValue());
    }
    assertEquals(200, queueChange("unknown_key", "Token " + SSE_TOKEN, body).statusCode());
  }

  @Test
  void close_openStreamsEndCleanly() throws IOException {
    server = start(Duration.ofSeconds(60));
    try (Socket socket = open(CLIENT_KEY)) {
      read(socket, 1, Duration.ofSeconds(5));
      server.close();
      server = null;
      assertEquals("<EOF>", read(socket, 1, Duration.ofSeconds(5)));
    }
  }

  @Test
  void okHttpEventSource_receivesEventsAndTheCleanClose() throws Exception {
    server = start(Duration.ofSeconds(2));
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    CountDownLatch closed = new CountDownLatch(1);
    OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    EventSource source =
        EventSources.createFactory(client)
            .newEventSource(
                new Request.Builder()
                    .url(
                        "http://127.0.0.1:"
                            + server.port()
                            + "/sse/environments/"
                            + CLIENT_KEY
                            + "/stream")
                    .build(),
                new EventSourceListener() {
                  @Override
                  public void onEvent(
                      EventSource eventSource, String id, String type, String data) {
                    events.add(type + " " + data);
                  }

                  @Override
                  public void onClosed(EventSource eventSource) {
                    closed.countDown();
                  }

                  @Override
                  public void onFailure(EventSource eventSource, Throwable t, Response response) {
                    events.add("failure " + t);
                  }
                });
    try {
      assertEquals(
          "environment_updated {\"updated_at\": 1795600800.0}", events.poll(10, TimeUnit.SECONDS));
      assertTrue(closed.await(10, TimeUnit.SECONDS), "no clean close at the maximum age");
      assertFalse(events.stream().anyMatch(e -> e.startsWith("failure")), events.toString());
    } finally {
      source.cancel();
      client.dispatcher().executorService().shutdown();
    }
    assertNotNull(client);
  }
}
