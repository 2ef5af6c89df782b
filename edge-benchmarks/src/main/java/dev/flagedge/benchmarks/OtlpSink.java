package dev.flagedge.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A collector for measuring the server with OpenTelemetry on: accepts every OTLP/HTTP export
 * ({@code POST /v1/traces}, {@code /v1/metrics}) with an empty 200, reads and drops the body, and
 * prints the bytes received when stopped. It costs the machine little, so that what a run measures
 * is the server's own cost of tracing.
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
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.createContext(
        "/",
        exchange -> {
          bytes.addAndGet(drain(exchange));
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
                        "otlp sink: %d exports, %d bytes%n", exports.get(), bytes.get())));
    System.out.printf("otlp sink on port %d%n", port);
  }

  private static long drain(HttpExchange exchange) throws IOException {
    long total = 0;
    byte[] buffer = new byte[16384];
    try (InputStream in = exchange.getRequestBody()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
      }
    }
    return total;
  }
}
