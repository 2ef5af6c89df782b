package dev.flagedge.examples;

import com.sun.net.httpserver.HttpServer;
import dev.flagedge.sync.FlagEdgeClient;
import dev.flagedge.sync.SyncListener;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-process client against an upstream. A tiny stand-in for the Flagsmith API serves the demo
 * document; the client polls it, evaluates locally, and picks up a change within one poll.
 */
public final class UpstreamClientExample {
  private UpstreamClientExample() {}

  public static void main(String[] args) throws Exception {
    String original;
    try (InputStream in =
        UpstreamClientExample.class.getResourceAsStream("/demo-environment.json")) {
      original = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    AtomicReference<String> document = new AtomicReference<>(original);
    HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/api/v1/environment-document/",
        exchange -> {
          byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
          boolean authorised =
              "ser.example".equals(exchange.getRequestHeaders().getFirst("X-Environment-Key"));
          exchange.sendResponseHeaders(authorised ? 200 : 403, authorised ? body.length : -1);
          exchange.getResponseBody().write(authorised ? body : new byte[0]);
          exchange.close();
        });
    api.start();

    CountDownLatch changed = new CountDownLatch(2); // the first load, then the change
    try (FlagEdgeClient client =
        FlagEdgeClient.builder()
            .serverKey("ser.example")
            .apiUrl(URI.create("http://127.0.0.1:" + api.getAddress().getPort() + "/api/v1"))
            .pollInterval(Duration.ofSeconds(1))
            .listener(
                new SyncListener() {
                  @Override
                  public void onChange(
                      String clientKey, dev.flagedge.sync.LoadedEnvironment current) {
                    changed.countDown();
                  }
                })
            .build()) {
      System.out.println("banner_text: " + client.environmentFlags().value("banner_text", ""));
      document.set(original.replace("Welcome to FlagEdge", "Fresh from the API"));
      changed.await(5, TimeUnit.SECONDS);
      System.out.println("banner_text: " + client.environmentFlags().value("banner_text", ""));
    } finally {
      api.stop(0);
    }
  }
}
