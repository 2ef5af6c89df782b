package dev.flagedge.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Realtime-stream probe for the load script. Opens N streams ({@code GET
 * /sse/environments/{key}/stream}) from one selector thread, waits until every stream has its first
 * event, then times changes: each round asks the upstream stub for a new document ({@code POST
 * /stub/change}) and the server to fetch it ({@code POST .../queue-change}), and measures until the
 * last stream has the new event. Then keeps the streams open for {@code --hold} seconds (while the
 * script measures the server under them) and closes them.
 *
 * <p>Prints progress to stderr and parseable lines to stdout:
 *
 * <pre>
 * STREAMS_OPEN streams=10000 open_ms=2100
 * STREAMS_CHANGE round=1 first_ms=12.1 last_ms=240.5 received=10000
 * STREAMS_DONE streams=10000 lost=0
 * </pre>
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.flagedge.benchmarks.StreamClients --port P --key K
 * --streams N --stub-port S --token T [--changes 3] [--hold 30]}
 */
public final class StreamClients {
  private static final byte[] EVENT =
      "event: environment_updated".getBytes(StandardCharsets.US_ASCII);

  /** One stream: how many events it has seen, matching across reads. */
  private static final class Stream {
    int matched;
    int events;
    long lastEventAt;

    void read(ByteBuffer bytes, long now) {
      while (bytes.hasRemaining()) {
        byte b = bytes.get();
        matched = b == EVENT[matched] ? matched + 1 : (b == EVENT[0] ? 1 : 0);
        if (matched == EVENT.length) {
          matched = 0;
          events++;
          lastEventAt = now;
        }
      }
    }
  }

  private StreamClients() {}

  public static void main(String[] args) throws Exception {
    int port = 8000;
    int stubPort = 8010;
    int streams = 1000;
    int changes = 3;
    int hold = 30;
    String key = "simple_0";
    String token = "";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--stub-port" -> stubPort = Integer.parseInt(args[++i]);
        case "--streams" -> streams = Integer.parseInt(args[++i]);
        case "--changes" -> changes = Integer.parseInt(args[++i]);
        case "--hold" -> hold = Integer.parseInt(args[++i]);
        case "--key" -> key = args[++i];
        case "--token" -> token = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    byte[] request =
        ("GET /sse/environments/"
                + key
                + "/stream HTTP/1.1\r\nHost: localhost\r\n"
                + "Accept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    Selector selector = Selector.open();
    List<Stream> all = new ArrayList<>(streams);
    long start = System.nanoTime();
    for (int i = 0; i < streams; i++) {
      SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      channel.write(ByteBuffer.wrap(request));
      channel.configureBlocking(false);
      Stream stream = new Stream();
      all.add(stream);
      channel.register(selector, SelectionKey.OP_READ, stream);
      if (i % 500 == 499) {
        pump(selector, 0);
      }
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    while (count(all, 1) < streams && System.nanoTime() - start < 120_000_000_000L) {
      pump(selector, buffer, 100);
    }
    System.out.printf(
        Locale.ROOT,
        "STREAMS_OPEN streams=%d with_event=%d open_ms=%d%n",
        streams,
        count(all, 1),
        (System.nanoTime() - start) / 1_000_000);
    System.out.flush();

    HttpClient http = HttpClient.newHttpClient();
    for (int round = 1; round <= changes; round++) {
      Thread.sleep(1_500); // the stub's updated_at has a resolution of one second
      post(http, "http://127.0.0.1:" + stubPort + "/stub/change", "", "");
      long changed = System.nanoTime();
      post(
          http,
          "http://127.0.0.1:" + port + "/sse/environments/" + key + "/queue-change",
          "{\"updated_at\": \"2030-01-01T00:00:00Z\"}",
          token);
      int want = round + 1;
      while (count(all, want) < streams && System.nanoTime() - changed < 60_000_000_000L) {
        pump(selector, buffer, 10);
      }
      long first = Long.MAX_VALUE;
      long last = 0;
      for (Stream stream : all) {
        if (stream.events >= want) {
          first = Math.min(first, stream.lastEventAt - changed);
          last = Math.max(last, stream.lastEventAt - changed);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "STREAMS_CHANGE round=%d first_ms=%.1f last_ms=%.1f " + "received=%d%n",
          round,
          first / 1e6,
          last / 1e6,
          count(all, want));
      System.out.flush();
    }
    long holdUntil = System.nanoTime() + hold * 1_000_000_000L;
    System.out.println("STREAMS_HOLDING seconds=" + hold);
    System.out.flush();
    while (System.nanoTime() < holdUntil) {
      pump(selector, buffer, 200);
    }
    int open = 0;
    for (SelectionKey k : selector.keys()) {
      if (k.channel().isOpen()) {
        open++;
      }
      k.channel().close();
    }
    System.out.printf(Locale.ROOT, "STREAMS_DONE streams=%d still_open=%d%n", streams, open);
  }

  private static void pump(Selector selector, int timeoutMillis) throws IOException {
    pump(selector, ByteBuffer.allocate(16 * 1024), timeoutMillis);
  }

  private static void pump(Selector selector, ByteBuffer buffer, int timeoutMillis)
      throws IOException {
    if (selector.select(timeoutMillis) == 0) {
      return;
    }
    long now = System.nanoTime();
    var keys = selector.selectedKeys().iterator();
    while (keys.hasNext()) {
      SelectionKey key = keys.next();
      keys.remove();
      SocketChannel channel = (SocketChannel) key.channel();
      buffer.clear();
      int n;
      try {
        n = channel.read(buffer);
      } catch (IOException e) {
        n = -1;
      }
      if (n < 0) {
        key.cancel();
        channel.close();
        continue;
      }
      buffer.flip();
      ((Stream) key.attachment()).read(buffer, now);
    }
  }

  private static int count(List<Stream> all, int events) {
    int n = 0;
    for (Stream stream : all) {
      if (stream.events >= events) {
        n++;
      }
    }
    return n;
  }

  private static void post(HttpClient http, String url, String body, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (!token.isEmpty()) {
      request.header("Authorization", "Token " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
    }
  }
}
