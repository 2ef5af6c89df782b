package dev.flagedge.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the Flagsmith API that the load scenarios point edge-server at: it serves {@code
 * GET /api/v1/environment-document/} for many generated environments, answering the document whose
 * server-side key is in {@code X-Environment-Key}.
 *
 * <p>Environment {@code i} of profile {@code p} has client-side key {@code p_i} and server-side key
 * {@code ser.p_i}; its document is the profile's (see {@link Environments}) with that {@code
 * api_key}. A profile's document is serialised once per generation and split around its api key, so
 * a response is the pre-built parts with the environment's key bytes in between: answering costs no
 * more than copying bytes, and the stub measures the proxy, not itself.
 *
 * <p>With {@code --change-every S} a new generation is built every S seconds: {@code updated_at}
 * moves forward (whole seconds, strictly increasing) and the first plain string feature (heavy:
 * {@code feature_004}, simple: {@code banner_text}) gets the value {@code gen-<n>}, so every
 * document really changes. {@code If-Modified-Since} is honoured as by the Flagsmith API: 304 when
 * the current generation's {@code updated_at} is not after it ({@code --no-304} always answers
 * 200).
 *
 * <p>{@code POST /stub/change} builds a new generation at once. {@code GET /stub/state} answers one
 * line: {@code generation=<n> updated_at=<iso> feature=<name> value=<value> documents=<200s>
 * not_modified=<304s> unknown_key=<401s>}. Analytics posts answer 200.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.flagedge.benchmarks.UpstreamStub [options]}
 *
 * <pre>
 *   --environments SPEC     profile:count list, e.g. heavy:200 or heavy:200,simple:1 (default heavy:1)
 *   --port P                port to listen on (default 8010)
 *   --change-every S        build a new generation every S seconds (default 0 = never)
 *   --no-304                ignore If-Modified-Since
 *   --write-config FILE     write an edge-server config.json for every environment, then serve
 *   --server-port P         server.port in that config (default 8000)
 *   --poll-seconds S        api_poll_frequency_seconds in that config (default 10)
 * </pre>
 */
public final class UpstreamStub {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter ISO_MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String DOCUMENT_PATH = "/api/v1/environment-document/";

  /** One profile's environments: their count and the profile's document template. */
  private record Group(
      Profile profile, int count, ObjectNode template, String featureName, String originalValue) {}

  /**
   * One version of every document: per profile, the serialised document split at each occurrence of
   * its api key (parts.length - 1 occurrences), and the total length of the parts.
   */
  private record Generation(
      int number,
      Instant updatedAt,
      Map<Profile, byte[][]> parts,
      Map<Profile, Integer> partsLength) {}

  private final List<Group> groups;
  private final boolean honourIfModifiedSince;
  private volatile Generation current;
  private final AtomicLong documents = new AtomicLong();
  private final AtomicLong notModified = new AtomicLong();
  private final AtomicLong unknownKey = new AtomicLong();

  private UpstreamStub(List<Group> groups, boolean honourIfModifiedSince) {
    this.groups = groups;
    this.honourIfModifiedSince = honourIfModifiedSince;
    this.current = build(0, Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * Serves until the process is stopped.
   *
   * @param args the options listed in the class comment
   * @throws IOException if the port cannot be bound or the config written
   */
  public static void main(String[] args) throws IOException {
    String spec = "heavy:1";
    int port = 8010;
    int changeEvery = 0;
    boolean honour304 = true;
    Path config = null;
    int serverPort = 8000;
    int pollSeconds = 10;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--environments" -> spec = value(args, ++i, arg);
        case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
        case "--change-every" -> changeEvery = Integer.parseInt(value(args, ++i, arg));
        case "--no-304" -> honour304 = false;
        case "--write-config" -> config = Path.of(value(args, ++i, arg));
        case "--server-port" -> serverPort = Integer.parseInt(value(args, ++i, arg));
        case "--poll-seconds" -> pollSeconds = Integer.parseInt(value(args, ++i, arg));
        default -> usage("unknown argument: " + arg);
      }
    }
    List<Group> groups = groups(spec);
    UpstreamStub stub = new UpstreamStub(groups, honour304);
    if (config != null) {
      Files.writeString(config, stub.config(port, serverPort, pollSeconds));
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.createContext("/", stub::handle);
    int threads = Math.max(16, Runtime.getRuntime().availableProcessors() * 8);
    ExecutorService executor = Executors.newFixedThreadPool(threads, daemon("upstream-stub"));
    server.setExecutor(executor);
    server.start();
    if (changeEvery > 0) {
      ScheduledExecutorService changes =
          Executors.newSingleThreadScheduledExecutor(daemon("upstream-stub-change"));
      changes.scheduleAtFixedRate(stub::change, changeEvery, changeEvery, TimeUnit.SECONDS);
    }
    int total = groups.stream().mapToInt(Group::count).sum();
    System.out.printf(
        "upstream stub on port %d: %d environment(s) (%s), change every %s, "
            + "If-Modified-Since %s%n",
        port,
        total,
        spec,
        changeEvery > 0 ? changeEvery + " s" : "never",
        honour304 ? "honoured" : "ignored");
    System.out.flush();
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      usage(option + " needs a value");
    }
    return args[i];
  }

  private static void usage(String message) {
    System.err.println("UpstreamStub: " + message);
    System.err.println(
        "usage: UpstreamStub [--environments heavy:200,simple:1] [--port 8010] "
            + "[--change-every S] [--no-304] [--write-config FILE] [--server-port 8000] "
            + "[--poll-seconds 10]");
    System.exit(2);
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private static List<Group> groups(String spec) {
    List<Group> groups = new ArrayList<>();
    for (String part : spec.split(",")) {
      String[] pc = part.strip().split(":");
      if (pc.length != 2) {
        usage("--environments: expected profile:count, got " + part);
      }
      Profile profile = Profile.of(pc[0]);
      int count = Integer.parseInt(pc[1]);
      if (count < 1) {
        usage("--environments: count must be at least 1: " + part);
      }
      try {
        ObjectNode template = (ObjectNode) MAPPER.readTree(Environments.document(profile));
        JsonNode changed = changingFeature(template);
        groups.add(
            new Group(
                profile,
                count,
                template,
                changed.get("feature").get("name").asText(),
                changed.get("feature_state_value").asText()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return groups;
  }

  /** The first enabled-or-not feature state with a string value and no multivariate options. */
  private static ObjectNode changingFeature(ObjectNode document) {
    for (JsonNode state : document.get("feature_states")) {
      if (state.get("feature_state_value").isTextual()
          && state.get("multivariate_feature_state_values").isEmpty()) {
        return (ObjectNode) state;
      }
    }
    throw new IllegalStateException("no plain string feature to change");
  }

  private void change() {
    try {
      Generation previous = current;
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Instant next = now.isAfter(previous.updatedAt()) ? now : previous.updatedAt().plusSeconds(1);
      current = build(previous.number() + 1, next);
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
  }

  private Generation build(int number, Instant updatedAt) {
    Map<Profile, byte[][]> parts = new LinkedHashMap<>();
    Map<Profile, Integer> lengths = new LinkedHashMap<>();
    for (Group group : groups) {
      ObjectNode document = group.template().deepCopy();
      document.put("updated_at", ISO_MICROS.format(updatedAt));
      if (number > 0) {
        changingFeature(document).put("feature_state_value", "gen-" + number);
      }
      byte[] bytes;
      try {
        bytes = MAPPER.writeValueAsBytes(document);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      byte[][] split = split(bytes, group.profile().apiKey().getBytes(StandardCharsets.UTF_8));
      parts.put(group.profile(), split);
      int length = 0;
      for (byte[] p : split) {
        length += p.length;
      }
      lengths.put(group.profile(), length);
    }
    return new Generation(number, updatedAt, parts, lengths);
  }

  /** The bytes between the occurrences of a key (which the key never overlaps with itself here). */
  private static byte[][] split(byte[] bytes, byte[] key) {
    List<byte[]> parts = new ArrayList<>();
    int from = 0;
    outer:
    for (int i = 0; i <= bytes.length - key.length; i++) {
      for (int k = 0; k < key.length; k++) {
        if (bytes[i + k] != key[k]) {
          continue outer;
        }
      }
      parts.add(Arrays.copyOfRange(bytes, from, i));
      from = i + key.length;
      i = from - 1;
    }
    parts.add(Arrays.copyOfRange(bytes, from, bytes.length));
    return parts.toArray(new byte[0][]);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
      String path = exchange.getRequestURI().getPath();
      if (path.equals(DOCUMENT_PATH) || path.equals("/api/v1/environment-document")) {
        document(exchange);
      } else if (path.equals("/stub/state")) {
        Generation generation = current;
        Group first = groups.get(0);
        String value =
            generation.number() == 0 ? first.originalValue() : "gen-" + generation.number();
        String line =
            String.format(
                Locale.ROOT,
                "generation=%d updated_at=%s feature=%s value=%s "
                    + "documents=%d not_modified=%d unknown_key=%d%n",
                generation.number(),
                ISO_MICROS.format(generation.updatedAt()),
                first.featureName(),
                value,
                documents.get(),
                notModified.get(),
                unknownKey.get());
        send(exchange, 200, "text/plain", line.getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/stub/change")) {
        change(); // a new generation now, for scenarios that time what follows a change
        send(
            exchange,
            200,
            "text/plain",
            ("generation=" + current.number() + "\n").getBytes(StandardCharsets.UTF_8));
      } else if (path.startsWith("/api/v1/analytics")) {
        send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      } else {
        send(
            exchange,
            404,
            "application/json",
            "{\"detail\":\"Not found.\"}".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private void document(HttpExchange exchange) throws IOException {
    String serverKey = exchange.getRequestHeaders().getFirst("X-Environment-Key");
    Group group = null;
    String clientKey = null;
    if (serverKey != null && serverKey.startsWith("ser.")) {
      clientKey = serverKey.substring(4);
      int underscore = clientKey.lastIndexOf('_');
      if (underscore > 0) {
        String profile = clientKey.substring(0, underscore);
        try {
          int index = Integer.parseInt(clientKey.substring(underscore + 1));
          for (Group g : groups) {
            if (g.profile().id().equals(profile) && index >= 0 && index < g.count()) {
              group = g;
            }
          }
        } catch (NumberFormatException e) {
          group = null;
        }
      }
    }
    if (group == null) {
      unknownKey.incrementAndGet();
      send(
          exchange,
          401,
          "application/json",
          "{\"detail\":\"Invalid or missing X-Environment-Key\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    Generation generation = current;
    String lastModified =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            generation.updatedAt().atOffset(ZoneOffset.UTC));
    exchange.getResponseHeaders().set("Last-Modified", lastModified);
    if (honourIfModifiedSince && notModifiedSince(exchange, generation.updatedAt())) {
      notModified.incrementAndGet();
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    byte[][] parts = generation.parts().get(group.profile());
    byte[] key = clientKey.getBytes(StandardCharsets.UTF_8);
    long length =
        generation.partsLength().get(group.profile()) + (long) key.length * (parts.length - 1);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, length);
    OutputStream out = exchange.getResponseBody();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        out.write(key);
      }
      out.write(parts[i]);
    }
    documents.incrementAndGet();
  }

  private static boolean notModifiedSince(HttpExchange exchange, Instant updatedAt) {
    String since = exchange.getRequestHeaders().getFirst("If-Modified-Since");
    if (since == null) {
      return false;
    }
    try {
      Instant sinceInstant =
          DateTimeFormatter.RFC_1123_DATE_TIME.parse(since.strip(), Instant::from);
      return !updatedAt.isAfter(sinceInstant);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  /** An edge-server config.json naming every environment this stub serves. */
  private String config(int port, int serverPort, int pollSeconds) {
    StringBuilder pairs = new StringBuilder();
    for (Group group : groups) {
      for (int i = 0; i < group.count(); i++) {
        String key = group.profile().id() + "_" + i;
        pairs
            .append(pairs.length() == 0 ? "\n    " : ",\n    ")
            .append("{\"server_side_key\": \"ser.")
            .append(key)
            .append("\", \"client_side_key\": \"")
            .append(key)
            .append("\"}");
      }
    }
    return "{\n  \"environment_key_pairs\": ["
        + pairs
        + "],\n"
        + "  \"api_url\": \"http://127.0.0.1:"
        + port
        + "/api/v1\",\n"
        + "  \"api_poll_frequency_seconds\": "
        + pollSeconds
        + ",\n"
        + "  \"server\": {\"port\": "
        + serverPort
        + "}\n}\n";
  }
}
