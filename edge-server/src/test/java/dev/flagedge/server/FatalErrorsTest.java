package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A fatal JVM error anywhere ends the process; a stack overflow does not. */
class FatalErrorsTest {
  private final List<Integer> halts = new CopyOnWriteArrayList<>();
  private final FatalErrors fatalErrors = new FatalErrors(halts::add);
  private Server server;

  @AfterEach
  void stop() {
    if (server != null) {
      JettyServer.stopQuietly(server);
    }
  }

  /** A real server with the real router and worker threads, and one route that fails. */
  private URI serve(Route failing) throws IOException {
    Router router =
        new Router(
                new Cors(List.of("*")),
                new Metrics(Clock.systemUTC()),
                new AccessLog(false, false),
                fatalErrors,
                Usage.OFF,
                Telemetry.OFF)
            .route("/fail", "fail", Set.of("GET"), failing);
    server = JettyServer.create("127.0.0.1", 0, Duration.ofSeconds(5), router, fatalErrors);
    JettyServer.start(server);
    return URI.create("http://127.0.0.1:" + JettyServer.port(server) + "/fail");
  }

  private static int statusOf(URI uri) {
    try {
      return ServerTestSupport.HTTP
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString())
          .statusCode();
    } catch (IOException e) {
      return -1; // the connection ended without an answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void handler_outOfMemory_endsTheProcessWithCode3() throws IOException {
    URI uri =
        serve(
            call -> {
              throw new OutOfMemoryError("Java heap space");
            });
    statusOf(uri);
    ServerTestSupport.waitUntil(() -> !halts.isEmpty(), Duration.ofSeconds(5), "the halt");
    assertEquals(List.of(FatalErrors.EXIT_CODE), halts);
  }

  @Test
  void handler_stackOverflow_answers500AndKeepsServing() throws IOException {
    URI uri =
        serve(
            call -> {
              throw new StackOverflowError();
            });
    assertEquals(500, statusOf(uri));
    assertEquals(500, statusOf(uri));
    assertEquals(List.of(), halts);
  }

  @Test
  void workerThreads_taskThrowsInternalError_endsTheProcess() throws IOException {
    serve(call -> call.respond(200, Body.json("{}")));
    server
        .getThreadPool()
        .execute(
            () -> {
              throw new InternalError("broken JIT");
            });
    ServerTestSupport.waitUntil(() -> !halts.isEmpty(), Duration.ofSeconds(5), "the halt");
    assertEquals(List.of(FatalErrors.EXIT_CODE), halts);
  }

  @Test
  void workerThreads_taskThrowsOutOfMemory_endsTheProcess() throws IOException {
    serve(call -> call.respond(200, Body.json("{}")));
    server
        .getThreadPool()
        .execute(
            () -> {
              throw new OutOfMemoryError("Metaspace");
            });
    ServerTestSupport.waitUntil(() -> !halts.isEmpty(), Duration.ofSeconds(5), "the halt");
    assertEquals(List.of(FatalErrors.EXIT_CODE), halts);
  }

  @Test
  void embeddedServer_outOfMemoryInAHandler_answers500_processLeftToTheApplication()
      throws IOException {
    // The embedded policy never halts: were it to, this test's own JVM would end here.
    Router router =
        new Router(
                new Cors(List.of("*")),
                new Metrics(Clock.systemUTC()),
                new AccessLog(false, false),
                FatalErrors.EMBEDDED,
                Usage.OFF,
                Telemetry.OFF)
            .route(
                "/fail",
                "fail",
                Set.of("GET"),
                call -> {
                  throw new OutOfMemoryError("simulated");
                });
    server =
        JettyServer.create("127.0.0.1", 0, Duration.ofSeconds(5), router, FatalErrors.EMBEDDED);
    JettyServer.start(server);
    assertEquals(
        500, statusOf(URI.create("http://127.0.0.1:" + JettyServer.port(server) + "/fail")));
  }

  @Test
  void uncaught_runtimeException_loggedNotFatal() {
    fatalErrors.uncaught(Thread.currentThread(), new IllegalStateException("bug"));
    assertEquals(List.of(), halts);
  }

  /**
   * The real policy in a real process: a thread outside any pool (here a plain one, named like a
   * server thread) dies of an OutOfMemoryError; the process must end with code 3 and say why.
   */
  @Test
  void process_threadDiesOfOutOfMemory_exitsWithCode3AndSaysWhy() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), DyingThread.class.getName())
            .redirectErrorStream(true)
            .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process did not end");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(FatalErrors.EXIT_CODE, process.exitValue(), output);
    assertTrue(
        output.contains(
            "fatal java.lang.OutOfMemoryError: Java heap space in thread " + "HTTP-Dispatcher"),
        output);
  }

  /** Installs the process policy, then lets a thread die; would otherwise wait forever. */
  static final class DyingThread {
    public static void main(String[] args) throws InterruptedException {
      FatalErrors.PROCESS.installAsDefaultHandler();
      Thread dispatcher =
          new Thread(
              () -> {
                throw new OutOfMemoryError("Java heap space");
              },
              "HTTP-Dispatcher");
      dispatcher.start();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
