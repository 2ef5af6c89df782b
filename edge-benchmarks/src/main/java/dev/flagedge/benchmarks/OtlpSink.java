package dev.flagedge.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A collector for measuring the server with OpenTelemetry on: accepts every OTLP/HTTP export
 * ({@code POST /v1/traces}, {@code /v1/metrics}) with an empty 200, reads and drops the body, and
 * prints the bytes and spans received when stopped (and on {@code GET /count}, so a script can
 * compare the spans exported with the requests served: a span the server's queue dropped never
 * arrives). It costs the machine little, so that what a run measures is the server's own cost of
 * tracing.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.flagedge.benchmarks.OtlpSink PORT}, then start the
 * server with {@code OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:PORT}.
 */
public final class OtlpSink {
  private OtlpSink() {}

  /**
   * Accepts exports until the process is stopped.
   *
   * @param args the port (default 4318)
   * @throws IOException if the port cannot be bound
   */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 4318;
    AtomicLong exports = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong spans = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.createContext(
        "/",
        exchange -> {
          if (exchange.getRequestURI().getPath().equals("/count")) {
            byte[] count = (spans.get() + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, count.length);
            exchange.getResponseBody().write(count);
            exchange.close();
            return;
          }
          byte[] body = exchange.getRequestBody().readAllBytes();
          bytes.addAndGet(body.length);
          if (exchange.getRequestURI().getPath().equals("/v1/traces")) {
            spans.addAndGet(countSpans(body));
          }
          exports.incrementAndGet();
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () ->
                    System.out.printf(
                        "otlp sink: %d exports, %d bytes, %d spans%n",
                        exports.get(), bytes.get(), spans.get())));
    System.out.printf("otlp sink on port %d%n", port);
  }

  /**
   * The spans in an {@code ExportTraceServiceRequest}: the occurrences of field 2 (spans) in field
   * 2 (scope spans) in field 1 (resource spans), read from the wire format without decoding a span.
   */
  static long countSpans(byte[] body) {
    long count = 0;
    for (Field resource = new Field(body, 0, body.length); resource.next(); ) {
      if (resource.number == 1) {
        for (Field scope = resource.inside(); scope.next(); ) {
          if (scope.number == 2) {
            for (Field span = scope.inside(); span.next(); ) {
              count += span.number == 2 ? 1 : 0;
            }
          }
        }
      }
    }
    return count;
  }

  /** A cursor over the fields of one protobuf message. */
  private static final class Field {
    private final byte[] bytes;
    private int position;
    private final int end;
    int number;
    private int start;
    private int length;

    Field(byte[] bytes, int from, int end) {
      this.bytes = bytes;
      this.position = from;
      this.end = end;
    }

    boolean next() {
      if (position >= end) {
        return false;
      }
      long tag = varint();
      number = (int) (tag >>> 3);
      switch ((int) (tag & 7)) {
        case 0 -> varint();
        case 1 -> position += 8;
        case 5 -> position += 4;
        case 2 -> {
          length = (int) varint();
          start = position;
          position += length;
        }
        default -> throw new IllegalArgumentException("unsupported wire type in tag " + tag);
      }
      return true;
    }

    Field inside() {
      return new Field(bytes, start, start + length);
    }

    private long varint() {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
    }
  }
}
