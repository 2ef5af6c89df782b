package dev.flagedge.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The load script's baseline: the JDK's built-in HTTP server answering every request with the same
 * bytes, with no routing, parsing or evaluation. It is configured like edge-server on JDK 17
 * ({@code sun.net.httpserver.nodelay=true}, backlog 1024, a fixed pool of max(16, 8 × cores)
 * threads), so the ratio of a FlagEdge endpoint to this server is the share of the HTTP stack's
 * ceiling it keeps.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.flagedge.benchmarks.StaticBytesServer PORT
 * [BODY_FILE]}.
 */
public final class StaticBytesServer {
  private StaticBytesServer() {}

  /**
   * Serves until the process is stopped.
   *
   * @param args the port, then optionally a file whose bytes to serve (default {@code {"ok":true}})
   * @throws IOException if the port cannot be bound or the file read
   */
  public static void main(String[] args) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8001;
    byte[] body =
        args.length > 1
            ? Files.readAllBytes(Path.of(args[1]))
            : "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 1024);
    server.createContext("/", exchange -> respond(exchange, body));
    int threads = Math.max(16, Runtime.getRuntime().availableProcessors() * 8);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "static-bytes-worker");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.start();
    System.out.printf(
        "static-bytes server on port %d, %d bytes, %d threads%n", port, body.length, threads);
  }

  private static void respond(HttpExchange exchange, byte[] body) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }
}
