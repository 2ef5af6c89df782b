package dev.flagedge.server;

import static dev.flagedge.server.ServerTestSupport.get;
import static dev.flagedge.server.ServerTestSupport.json;
import static dev.flagedge.server.ServerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration changes while the server runs: a file replaced by rename, written in place, or
 * swapped as Kubernetes swaps a mounted Secret; a broken file then a fixed one; a client hammering
 * the server throughout; and {@code SIGHUP} to the standalone server.
 */
class ConfigReloaderTest {
  private static final Duration WITHIN = Duration.ofSeconds(5);

  @TempDir Path dir;
  private final MockWebServer upstream = ServerTestSupport.upstream(ConfigReloaderTest::document);
  private EdgeServer server;
  private ConfigReloader reloader;

  /** The document of the environment whose server key asks: ser.b gets b_client's. */
  private static MockResponse document(RecordedRequest request) {
    String serverKey = request.getHeaders().get("X-Environment-Key");
    String clientKey = serverKey == null ? "none" : serverKey.substring(4) + "_client";
    return ServerTestSupport.upstreamJson(ServerTestSupport.document(clientKey, clientKey));
  }

  @AfterEach
  void stop() {
    if (reloader != null) {
      reloader.close();
    }
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  /** A configuration with these environments ("a" is ser.a with client key a_client, …). */
  private String config(List<String> origins, String... environments) {
    StringBuilder pairs = new StringBuilder();
    for (String name : environments) {
      pairs
          .append(pairs.length() == 0 ? "" : ",")
          .append("{\"server_side_key\":\"ser.")
          .append(name)
          .append("\",\"client_side_key\":\"")
          .append(name)
          .append("_client\"}");
    }
    return "{\"environment_key_pairs\":["
        + pairs
        + "],\"api_url\":\""
        + upstream.url("/api/v1")
        + "\",\"allow_origins\":"
        + ServerTestSupport.JSON.valueToTree(origins)
        + ",\"server\":{\"host\":\"127.0.0.1\",\"port\":0}}";
  }

  private void start(Path file) {
    String startedFrom = ConfigReloader.digest(file);
    ConfigLoader.Loaded loaded = ConfigLoader.load(Map.of(), Optional.of(file));
    try {
      server = EdgeServer.start(loaded.builder().build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    reloader = new ConfigReloader(file, startedFrom, Map.of(), server, next -> {}).start();
  }

  private int flagsStatus(String name) {
    return get(server, "/api/v1/flags/", name + "_client").statusCode();
  }

  private static void replaceByRename(Path file, String content) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, content);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void atomicRename_environmentAdded_thenServed() throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, config(List.of("*"), "a"));
    start(file);
    assertEquals(401, flagsStatus("b"));
    replaceByRename(file, config(List.of("*"), "a", "b"));
    waitUntil(() -> flagsStatus("b") == 200, WITHIN, "the added environment served");
    assertEquals(200, flagsStatus("a"));
  }

  @Test
  void writeInPlace_environmentRemoved_401FromThenOn() throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, config(List.of("*"), "a", "b"));
    start(file);
    assertEquals(200, flagsStatus("b"));
    Files.writeString(file, config(List.of("*"), "a")); // truncates and writes the same file
    waitUntil(() -> flagsStatus("b") == 401, WITHIN, "the removed environment refused");
    assertEquals(200, flagsStatus("a"));
  }

  @Test
  void kubernetesSecretSwap_dataLinkToANewDirectory_applied() throws IOException {
    // As the kubelet lays out a mounted Secret: config.json -> ..data/config.json, ..data -> ..v1.
    Path v1 = Files.createDirectory(dir.resolve("..v1"));
    Files.writeString(v1.resolve("config.json"), config(List.of("*"), "a"));
    Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
    Path file = dir.resolve("config.json");
    Files.createSymbolicLink(file, Path.of("..data", "config.json"));
    start(file);
    Path v2 = Files.createDirectory(dir.resolve("..v2"));
    Files.writeString(v2.resolve("config.json"), config(List.of("*"), "a", "c"));
    Path link = dir.resolve("..data_tmp");
    Files.createSymbolicLink(link, v2.getFileName());
    Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    waitUntil(() -> flagsStatus("c") == 200, WITHIN, "the environment of the new Secret");
  }

  @Test
  void allowOrigins_appliedLive() throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, config(List.of("https://one.example"), "a"));
    start(file);
    assertEquals("https://one.example", allowedOrigin("https://one.example"));
    replaceByRename(file, config(List.of("https://two.example"), "a"));
    waitUntil(
        () -> "https://two.example".equals(allowedOrigin("https://two.example")),
        WITHIN,
        "the new origin allowed");
    assertEquals("", allowedOrigin("https://one.example"));
  }

  private String allowedOrigin(String origin) {
    return ServerTestSupport.send(
            ServerTestSupport.request(server, "/api/v1/flags/")
                .header("X-Environment-Key", "a_client")
                .header("Origin", origin)
                .GET()
                .build())
        .headers()
        .firstValue("Access-Control-Allow-Origin")
        .orElse("");
  }

  @Test
  void brokenFile_changesNothing_errorShownUntilFixed() throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, config(List.of("*"), "a"));
    start(file);
    replaceByRename(file, "{\"environment_key_pairs\": [");
    waitUntil(
        () -> json(get(server, "/proxy/health", null)).has("config_reload_error"),
        WITHIN,
        "the reload error in health");
    String error = json(get(server, "/proxy/health", null)).get("config_reload_error").textValue();
    assertTrue(error.contains("not valid JSON"), error);
    assertTrue(metrics().contains("flagedge_config_reloads_total{result=\"failed\"} 1.0"));
    assertEquals(200, flagsStatus("a"));

    replaceByRename(
        file,
        config(List.of("*"), "a")
            .replace("\"client_side_key\":\"a_client\"", "\"client_side_key\":\"ser.oops\""));
    waitUntil(
        () -> metrics().contains("flagedge_config_reloads_total{result=\"failed\"} 2.0"),
        WITHIN,
        "the refused validation");
    String validation =
        json(get(server, "/proxy/health", null)).get("config_reload_error").textValue();
    assertTrue(validation.contains("environment_key_pairs[0].client_side_key"), validation);
    assertFalse(validation.contains("ser.oops") || validation.contains("ser.a"), validation);

    replaceByRename(file, config(List.of("*"), "a", "b"));
    waitUntil(() -> flagsStatus("b") == 200, WITHIN, "the fixed configuration applied");
    assertFalse(json(get(server, "/proxy/health", null)).has("config_reload_error"));
    assertTrue(metrics().contains("flagedge_config_reloads_total{result=\"applied\"} 1.0"));
  }

  @Test
  void hammeringClient_seesNoFailureDuringReloads() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, config(List.of("*"), "a"));
    start(file);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong requests = new AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    List<String> failed = new ArrayList<>();
    Thread hammer =
        new Thread(
            () -> {
              while (running.get()) {
                int status = flagsStatus("a");
                requests.incrementAndGet();
                if (status != 200) {
                  failures.incrementAndGet();
                  synchronized (failed) {
                    failed.add(Integer.toString(status));
                  }
                }
              }
            });
    hammer.start();
    try {
      for (String[] environments :
          List.of(new String[] {"a", "b"}, new String[] {"a"}, new String[] {"a", "c", "d"})) {
        replaceByRename(file, config(List.of("*"), environments));
        String last = environments[environments.length - 1];
        waitUntil(() -> flagsStatus(last) == 200, WITHIN, "environment " + last);
      }
    } finally {
      running.set(false);
      hammer.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertFalse(hammer.isAlive());
    assertTrue(requests.get() > 100, "requests: " + requests);
    assertEquals(0, failures.get(), failed.toString());
  }

  @Test
  void restartOnlySetting_loggedAsSuch_theRestApplied() throws IOException {
    java.util.logging.Logger log =
        java.util.logging.Logger.getLogger(ConfigReloader.class.getName());
    List<String> messages = new ArrayList<>();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            synchronized (messages) {
              messages.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(capture);
    try {
      Path file = dir.resolve("config.json");
      Files.writeString(file, config(List.of("*"), "a"));
      start(file);
      replaceByRename(
          file,
          config(List.of("*"), "a", "b").replace("\"port\":0", "\"port\":" + (server.port() + 1)));
      waitUntil(() -> flagsStatus("b") == 200, WITHIN, "the environment applied live");
      waitUntil(
          () -> {
            synchronized (messages) {
              return messages.contains(
                  "changed settings that apply at the next start only: server.port");
            }
          },
          WITHIN,
          "the restart-only setting named in the log");
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void restartOnlySetting_changedThenBack_healthAndLogCompareWithTheStartedConfiguration()
      throws IOException {
    List<String> messages = new ArrayList<>();
    java.util.logging.Logger log =
        java.util.logging.Logger.getLogger(ConfigReloader.class.getName());
    java.util.logging.Handler capture = capture(messages);
    log.addHandler(capture);
    try {
      Path file = dir.resolve("config.json");
      Files.writeString(file, config(List.of("*"), "a"));
      start(file);
      String other = "\"port\":" + (server.port() + 1);
      replaceByRename(file, config(List.of("*"), "a").replace("\"port\":0", other));
      waitUntil(
          () -> restartRequiredFor().equals(List.of("server.port")),
          WITHIN,
          "health names the setting that awaits a restart");
      // A second reload that changes something else: the port still differs from the start.
      replaceByRename(file, config(List.of("*"), "a", "b").replace("\"port\":0", other));
      waitUntil(() -> flagsStatus("b") == 200, WITHIN, "the environment applied live");
      assertEquals(List.of("server.port"), restartRequiredFor());
      replaceByRename(file, config(List.of("*"), "a", "b"));
      waitUntil(
          () -> restartRequiredFor().isEmpty(),
          WITHIN,
          "the port back as the server started: nothing awaits a restart");
      waitUntil(
          () ->
              contains(
                  messages,
                  "settings back as the server started, no restart needed any more: server.port"),
          WITHIN,
          "the log says the restart is no longer needed");
      assertEquals(
          2,
          count(messages, "changed settings that apply at the next start only: server.port"),
          messages.toString());
    } finally {
      log.removeHandler(capture);
    }
  }

  private List<String> restartRequiredFor() {
    List<String> names = new ArrayList<>();
    json(get(server, "/proxy/health", null))
        .path("restart_required_for")
        .forEach(node -> names.add(node.textValue()));
    return names;
  }

  private static boolean contains(List<String> messages, String message) {
    return count(messages, message) > 0;
  }

  private static long count(List<String> messages, String message) {
    synchronized (messages) {
      return messages.stream().filter(message::equals).count();
    }
  }

  /** A log handler that keeps each formatted message. */
  private static java.util.logging.Handler capture(List<String> messages) {
    return new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        synchronized (messages) {
          messages.add(new java.util.logging.SimpleFormatter().formatMessage(record));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @Test
  void sighup_standaloneServer_reloadsAtOnce() throws Exception {
    Path file = dir.resolve("config.json");
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Files.writeString(file, config(List.of("*"), "a").replace("\"port\":0", "\"port\":" + port));
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--config",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    try {
      URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
      waitUntil(() -> scrape(metrics).contains("flagedge_"), Duration.ofSeconds(20), "start");
      // The port opens before the server has finished starting, and a SIGHUP before the reloader
      // exists is ignored: signal until one is counted.
      if (hangUpIgnoredHere()) {
        // Under nohup (or a parent that ignores SIGHUP) the child inherits the disposition and the
        // JVM keeps it: the server must say so, and a SIGHUP must not stop it.
        waitUntil(
            () -> log(dir).contains("SIGHUP does not reload the configuration"),
            Duration.ofSeconds(20),
            "the warning that SIGHUP is ignored");
        hangUp(process);
      } else {
        waitUntil(
            () -> {
              hangUp(process);
              return scrape(metrics)
                  .contains("flagedge_config_reloads_total{result=\"unchanged\"}");
            },
            Duration.ofSeconds(20),
            "a reload asked for by SIGHUP");
      }
      assertTrue(process.isAlive(), log(dir));
    } finally {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Whether this JVM ignores SIGHUP (bit 0 of the mask of ignored signals), as its children will.
   */
  private static boolean hangUpIgnoredHere() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("SigIgn:"))
        .anyMatch(line -> (Long.parseLong(line.substring(7).strip(), 16) & 1) != 0);
  }

  private static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void hangUp(Process process) {
    try {
      new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String scrape(URI uri) {
    try {
      return ServerTestSupport.HTTP
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private String metrics() {
    return get(server, "/metrics", null).body();
  }
}
