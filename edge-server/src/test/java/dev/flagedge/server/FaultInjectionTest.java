package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/**
 * A scripted run of upstream responses mixing new documents, 304s, 5xx, 401/403, timeouts, resets,
 * truncated bodies, invalid JSON, non-documents, documents that fail to compile and failing later
 * pages, while clients keep reading. Every answer must come from one good document (never a partial
 * or mixed one, never older than one already seen) and no request may fail. Size: {@code
 * -Dflagedge.faults} (default 300; the full run is 1,000 or more).
 */
class FaultInjectionTest {
  private static final String SERVER_KEY = "ser.faults_server_key";
  private static final String CLIENT_KEY = "faults_client_key";
  private static final int FAULTS = Integer.getInteger("flagedge.faults", 300);
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private final Set<Integer> goodVersions = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> injected = new TreeMap<>();
  private volatile MockResponse next;
  private volatile String pageTwo;

  @Test
  void scriptedUpstreamFaults_readersOnlyEverSeeGoodDocuments() throws Exception {
    try (MockWebServer upstream = new MockWebServer()) {
      upstream.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return request.getTarget().contains("page=2") ? pageTwoResponse() : next;
            }
          });
      upstream.start(0);
      next = new MockResponse.Builder().code(304).build(); // a 304 before any document
      EdgeServer server =
          EdgeServer.start(
              ServerConfig.builder()
                  .host("127.0.0.1")
                  .port(0)
                  .environment(SERVER_KEY, CLIENT_KEY)
                  .apiUrl(upstream.url("/api/v1").uri())
                  .pollInterval(Duration.ofHours(1))
                  .pollTimeout(TIMEOUT)
                  .build());
      try {
        run(server, upstream);
      } finally {
        server.close();
      }
    }
  }

  private void run(EdgeServer server, MockWebServer upstream) throws Exception {
    Random random = new Random(42);
    install(server, 0);
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong requests = new AtomicLong();
    List<String> wrong = new CopyOnWriteArrayList<>();
    List<String> died = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      boolean identity = r % 2 == 1;
      Thread reader =
          new Thread(() -> read(server, identity, done, requests, wrong), "reader-" + r);
      reader.setUncaughtExceptionHandler((t, e) -> died.add(t.getName() + ": " + e));
      reader.start();
      readers.add(reader);
    }
    try {
      int version = 0;
      for (int i = 0; i < FAULTS; i++) {
        int kind = random.nextInt(11);
        if (kind == 0) {
          install(server, ++version);
        } else {
          next = fault(kind, version, upstream);
          server.sync().refresh(CLIENT_KEY);
        }
      }
    } finally {
      done.set(true); // the readers stop even when the run failed
      for (Thread reader : readers) {
        reader.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
    for (Thread reader : readers) {
      assertFalse(reader.isAlive(), reader.getName() + " still reading 30 s after the run");
    }
    assertEquals(List.of(), died, "readers that ended with an exception (a failed request)");
    JsonNode health = ServerTestSupport.json(ServerTestSupport.get(server, "/proxy/health", null));
    System.out.printf(
        "faults: %d upstream responses %s, %d good documents, %d client requests, "
            + "%d wrong answers%n",
        FAULTS, injected, goodVersions.size(), requests.get(), wrong.size());
    assertEquals(List.of(), wrong.subList(0, Math.min(10, wrong.size())));
    assertTrue(requests.get() > FAULTS, "readers kept reading");
    assertEquals("ok", health.get("status").textValue(), "a recent 304/200 keeps health ok");
  }

  /** Serves a new good document and waits until the server has it. */
  private void install(EdgeServer server, int version) {
    next = ok(document(version));
    goodVersions.add(version);
    count("200 new document");
    // On a busy machine a good response can still miss the short timeout; the upstream keeps
    // offering it, so refresh until it lands.
    for (int attempt = 0; attempt < 20 && servedVersion(server) != version; attempt++) {
      server.sync().refresh(CLIENT_KEY);
    }
    assertEquals(version, servedVersion(server), "the new document is served after a refresh");
  }

  private MockResponse fault(int kind, int version, MockWebServer upstream) {
    switch (kind) {
      case 1:
        count("304");
        return new MockResponse.Builder().code(304).build();
      case 2:
        count("5xx");
        return new MockResponse.Builder().code(500 + 2 * (version % 2)).body("down").build();
      case 3:
        count("401/403");
        return new MockResponse.Builder().code(version % 2 == 0 ? 401 : 403).build();
      case 4:
        count("slow past timeout");
        return ok(document(version + 1000 * kind))
            .newBuilder()
            .headersDelay(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)
            .build();
      case 5:
        count("connection reset");
        return ok(document(version + 1000 * kind))
            .newBuilder()
            .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
            .build();
      case 6:
        count("truncated body");
        String body = document(version + 1000 * kind);
        return new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .addHeader("Content-Length", body.length())
            .body(body.substring(0, body.length() / 2))
            .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
            .build();
      case 7:
        count("invalid JSON");
        return ok("{\"api_key\": \"" + CLIENT_KEY + "\", \"feature_states\": [");
      case 8:
        count("JSON that is not a document");
        return ok("[{\"hello\": \"world\"}]");
      case 9:
        count("document that fails to compile");
        return ok(document(version + 1000 * kind).replace("\"name\":\"banner\"", "\"name\":12"));
      default:
        count("later page fails");
        pageTwo = null;
        return ok(document(version + 1000 * kind))
            .newBuilder()
            .addHeader(
                "Link",
                "<" + upstream.url("/api/v1/environment-document/?page=2") + ">; rel=\"next\"")
            .build();
    }
  }

  private MockResponse pageTwoResponse() {
    return pageTwo == null
        ? new MockResponse.Builder().code(500).body("page 2 failed").build()
        : ok(pageTwo);
  }

  private void read(
      EdgeServer server,
      boolean identity,
      AtomicBoolean done,
      AtomicLong requests,
      List<String> wrong) {
    int lastSeen = 0;
    while (!done.get()) {
      HttpResponse<String> response =
          identity
              ? ServerTestSupport.post(
                  server,
                  "/api/v1/identities/",
                  CLIENT_KEY,
                  "{\"identifier\":\"reader\",\"traits\":[{\"trait_key\":\"n\",\"trait_value\":1}]}")
              : ServerTestSupport.get(server, "/api/v1/flags/", CLIENT_KEY);
      requests.incrementAndGet();
      JsonNode flags = response.statusCode() == 200 ? flags(response, identity) : null;
      int version = flags == null ? -1 : consistentVersion(flags);
      if (version < lastSeen || !goodVersions.contains(version)) {
        wrong.add(response.statusCode() + " " + response.body() + " after version " + lastSeen);
      }
      lastSeen = Math.max(lastSeen, version);
    }
  }

  private static JsonNode flags(HttpResponse<String> response, boolean identity) {
    JsonNode body = ServerTestSupport.json(response);
    return identity ? body.get("flags") : body;
  }

  /** The version both flags carry, or -1 when they disagree (a mixed document). */
  private static int consistentVersion(JsonNode flags) {
    String banner = flags.get(0).get("feature_state_value").textValue();
    int number = flags.get(1).get("feature_state_value").intValue();
    return banner.equals("v" + number) ? number : -1;
  }

  /** Both features carry the version, so a mixed document would show. */
  private static String document(int version) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("banner", "v" + version);
    values.put("version", version);
    return ServerTestSupport.document(CLIENT_KEY, values);
  }

  private static MockResponse ok(String body) {
    return ServerTestSupport.upstreamJson(body);
  }

  /** The version served now, or -1 before any document. */
  private static int servedVersion(EdgeServer server) {
    HttpResponse<String> response = ServerTestSupport.get(server, "/api/v1/flags/", CLIENT_KEY);
    return response.statusCode() == 200 ? consistentVersion(ServerTestSupport.json(response)) : -1;
  }

  private void count(String kind) {
    injected.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
  }
}
