package dev.flagedge.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slow-client ("slowloris") probe for the load script. Opens N connections that each send the
 * headers of a {@code POST /api/v1/identities/} announcing {@code Content-Length: 1000}, then one
 * body byte per second; once they are all connected, a well-behaved client makes sequential {@code
 * GET} requests on fresh connections ({@code Connection: close}), each with a deadline, and records
 * their latency.
 *
 * <p>Prints per-request lines to stderr and one parseable line to stdout:
 *
 * <pre>
 * SLOWCLIENTS slow=200 slow_connected=200 slow_closed_by_server=0 requests=20 ok=20 failed=0
 *   timed_out=0 p50_ms=1.20 worst_ms=3.40 latencies_ms=1.10,1.30,...
 * </pre>
 *
 * (one line; a failed request's latency is written as {@code F<status|error>}, a timed-out one as
 * {@code T}). {@code slow_closed_by_server} counts slow connections the server answered or closed
 * before the end. Uses only plain sockets, so it measures the server, whatever JDK runs it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.flagedge.benchmarks.SlowClients [options]}
 *
 * <pre>
 *   --host H            server host (default 127.0.0.1)
 *   --port P            server port (default 8000)
 *   --key K             X-Environment-Key for every request (default heavy_0)
 *   --slow N            slow connections (default 200)
 *   --requests R        well-behaved requests (default 20)
 *   --interval-ms I     spacing of their starts (default 500)
 *   --timeout-ms T      deadline of each, connect to last byte (default 5000)
 *   --path PATH         what they GET (default /api/v1/flags/)
 *   --settle-ms S       wait after the slow clients are connected (default 500)
 * </pre>
 */
public final class SlowClients {
  private static final int SLOW_CONTENT_LENGTH = 1000;

  private SlowClients() {}

  /**
   * Runs the probe and exits.
   *
   * @param args the options listed in the class comment
   * @throws Exception if the probe itself fails (not the server)
   */
  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 8000;
    String key = "heavy_0";
    int slow = 200;
    int requests = 20;
    long intervalMs = 500;
    long timeoutMs = 5000;
    String path = "/api/v1/flags/";
    long settleMs = 500;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length) {
        usage("missing value for " + arg);
      }
      String value = args[++i];
      switch (arg) {
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--key" -> key = value;
        case "--slow" -> slow = Integer.parseInt(value);
        case "--requests" -> requests = Integer.parseInt(value);
        case "--interval-ms" -> intervalMs = Long.parseLong(value);
        case "--timeout-ms" -> timeoutMs = Long.parseLong(value);
        case "--path" -> path = value;
        case "--settle-ms" -> settleMs = Long.parseLong(value);
        default -> usage("unknown argument: " + arg);
      }
    }
    InetSocketAddress address = new InetSocketAddress(host, port);

    Selector selector = Selector.open();
    List<SocketChannel> channels = new ArrayList<>();
    byte[] headers =
        ("POST /api/v1/identities/ HTTP/1.1\r\nHost: "
                + host
                + ":"
                + port
                + "\r\nX-Environment-Key: "
                + key
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + SLOW_CONTENT_LENGTH
                + "\r\n\r\n{")
            .getBytes(StandardCharsets.US_ASCII);
    int connectFailures = 0;
    for (int i = 0; i < slow; i++) {
      try {
        SocketChannel channel = SocketChannel.open();
        channel.socket().connect(address, (int) timeoutMs);
        channel.write(ByteBuffer.wrap(headers));
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        channels.add(channel);
      } catch (IOException e) {
        connectFailures++;
      }
    }
    System.err.printf(
        "slow clients: %d connected, %d failed to connect%n", channels.size(), connectFailures);

    AtomicInteger closedByServer = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread drip = new Thread(() -> drip(selector, running, closedByServer), "slow-client-drip");
    drip.setDaemon(true);
    drip.start();
    Thread.sleep(settleMs);

    List<String> latencies = new ArrayList<>();
    List<Double> okMillis = new ArrayList<>();
    int failed = 0;
    int timedOut = 0;
    long start = System.nanoTime();
    for (int r = 0; r < requests; r++) {
      long due = start + r * intervalMs * 1_000_000L;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
      }
      Outcome outcome = request(address, host, port, path, key, timeoutMs);
      String shown;
      if (outcome.status() == 200) {
        okMillis.add(outcome.millis());
        shown = String.format(Locale.ROOT, "%.2f", outcome.millis());
      } else if (outcome.timedOut()) {
        timedOut++;
        shown = "T";
      } else {
        failed++;
        shown = "F" + (outcome.status() > 0 ? Integer.toString(outcome.status()) : outcome.error());
      }
      latencies.add(shown);
      System.err.printf(
          Locale.ROOT,
          "request %2d: %s after %.1f ms%n",
          r + 1,
          outcome.status() == 200 ? "200" : shown,
          outcome.millis());
    }
    running.set(false);
    drip.join(2000);
    for (SocketChannel channel : channels) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    selector.close();

    List<Double> sorted = new ArrayList<>(okMillis);
    sorted.sort(null);
    String p50 = sorted.isEmpty() ? "-" : format(sorted.get((sorted.size() - 1) / 2));
    String worst = sorted.isEmpty() ? "-" : format(sorted.get(sorted.size() - 1));
    System.out.printf(
        Locale.ROOT,
        "SLOWCLIENTS slow=%d slow_connected=%d slow_closed_by_server=%d "
            + "requests=%d ok=%d failed=%d timed_out=%d p50_ms=%s worst_ms=%s latencies_ms=%s%n",
        slow,
        channels.size(),
        closedByServer.get(),
        requests,
        okMillis.size(),
        failed,
        timedOut,
        p50,
        worst,
        String.join(",", latencies));
  }

  private static String format(double millis) {
    return String.format(Locale.ROOT, "%.2f", millis);
  }

  private static void usage(String message) {
    System.err.println("SlowClients: " + message);
    System.err.println(
        "usage: SlowClients [--host H] [--port P] [--key K] [--slow N] [--requests R] "
            + "[--interval-ms I] [--timeout-ms T] [--path PATH] [--settle-ms S]");
    System.exit(2);
  }

  /** Every second, one more body byte on each slow connection; notes the ones the server ends. */
  private static void drip(Selector selector, AtomicBoolean running, AtomicInteger closed) {
    ByteBuffer read = ByteBuffer.allocate(4096);
    int sent = 1;
    long next = System.nanoTime();
    while (running.get()) {
      try {
        selector.selectNow();
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
          SelectionKey key = ready.next();
          ready.remove();
          read.clear();
          try {
            ((SocketChannel) key.channel())
                .read(read); // an answer (408, 503, ...) or end of stream
          } catch (IOException e) {
            // reset by the server
          }
          closed.incrementAndGet();
          key.cancel();
        }
        if (System.nanoTime() >= next && sent < SLOW_CONTENT_LENGTH - 1) {
          sent++;
          for (SelectionKey key : selector.keys()) {
            if (!key.isValid()) {
              continue;
            }
            try {
              ((SocketChannel) key.channel()).write(ByteBuffer.wrap(new byte[] {' '}));
            } catch (IOException e) {
              closed.incrementAndGet();
              key.cancel();
            }
          }
          next += 1_000_000_000L;
        }
        Thread.sleep(20);
      } catch (IOException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One request's status (0 if none), time taken and, when it failed, why. */
  private record Outcome(int status, double millis, boolean timedOut, String error) {}

  private static Outcome request(
      InetSocketAddress address, String host, int port, String path, String key, long timeoutMs) {
    long start = System.nanoTime();
    long deadline = start + timeoutMs * 1_000_000L;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) timeoutMs);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + ":"
                  + port
                  + "\r\nX-Environment-Key: "
                  + key
                  + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      int status = readResponse(socket, deadline);
      return new Outcome(status, millisSince(start), false, null);
    } catch (SocketTimeoutException e) {
      return new Outcome(0, millisSince(start), true, null);
    } catch (IOException e) {
      return new Outcome(0, millisSince(start), false, e.getClass().getSimpleName());
    }
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  /**
   * Reads a whole response (Content-Length, chunked or until close) by the deadline; its status.
   */
  private static int readResponse(Socket socket, long deadline) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[16384];
    int headerEnd = -1;
    int status = 0;
    long contentLength = -1;
    boolean chunked = false;
    while (true) {
      long remaining = (deadline - System.nanoTime()) / 1_000_000L;
      if (remaining <= 0) {
        throw new SocketTimeoutException("deadline");
      }
      socket.setSoTimeout((int) Math.max(1, remaining));
      int n = in.read(chunk);
      if (n < 0) {
        if (headerEnd < 0) {
          throw new IOException("connection closed before the response headers");
        }
        if (contentLength >= 0 && buffer.size() - headerEnd < contentLength) {
          throw new IOException("connection closed before the end of the body");
        }
        return status;
      }
      buffer.write(chunk, 0, n);
      byte[] bytes = buffer.toByteArray();
      if (headerEnd < 0) {
        headerEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd < 0) {
          continue;
        }
        headerEnd += 4;
        String head = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ");
        status = Integer.parseInt(statusLine[1]);
        for (String line : lines) {
          String lower = line.toLowerCase(Locale.ROOT);
          if (lower.startsWith("content-length:")) {
            contentLength = Long.parseLong(line.substring(15).strip());
          } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
            chunked = true;
          }
        }
      }
      long body = bytes.length - headerEnd;
      if (contentLength >= 0 && body >= contentLength) {
        return status;
      }
      if (chunked && endsWith(bytes, "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))) {
        return status;
      }
      if (!chunked && contentLength < 0 && (status == 204 || status == 304)) {
        return status;
      }
    }
  }

  private static int indexOf(byte[] bytes, byte[] needle) {
    outer:
    for (int i = 0; i <= bytes.length - needle.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (bytes[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean endsWith(byte[] bytes, byte[] suffix) {
    if (bytes.length < suffix.length) {
      return false;
    }
    for (int k = 0; k < suffix.length; k++) {
      if (bytes[bytes.length - suffix.length + k] != suffix[k]) {
        return false;
      }
    }
    return true;
  }
}
