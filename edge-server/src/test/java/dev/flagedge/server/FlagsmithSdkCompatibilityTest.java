package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flagsmith.FlagsmithClient;
import com.flagsmith.config.FlagsmithConfig;
import com.flagsmith.models.BaseFlag;
import com.flagsmith.models.Flags;
import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Flagsmith Java SDK (7.4.3) against a running server that serves an offline fixture
 * (segments on string, int, float and bool traits, a multivariate feature, a server-key-only
 * feature and an identity override): the SDK must see the same enabled state and value per feature
 * as our engine computes and as the server's own JSON answers say.
 */
class FlagsmithSdkCompatibilityTest {
  private static final String CLIENT_KEY = "sdk_client_key";
  private static final String SERVER_KEY = "ser.test_server_key";
  private static final String SERVER_ONLY = "internal_rate_limit";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final List<Identity> IDENTITIES = identities();

  private static EdgeServer server;
  private static Environment engine;

  /** One feature as any of the three sides sees it; numbers normalised so 50 == 50L. */
  private record Answer(boolean enabled, JsonNode value) {}

  /** An identity and the traits it sends. */
  private record Identity(String identifier, Map<String, Object> traits) {}

  @BeforeAll
  static void startServer() throws Exception {
    Path fixture =
        Path.of(
            FlagsmithSdkCompatibilityTest.class.getResource("/sdk/sdk-environment.json").toURI());
    engine = Environment.parse(Files.readAllBytes(fixture));
    server =
        EdgeServer.start(
            ServerConfig.builder()
                .environmentFile(fixture, Optional.of(SERVER_KEY))
                .host("127.0.0.1")
                .port(0)
                .build());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void environmentFlags_clientKey_sdkMatchesEngineAndServer() throws Exception {
    Map<String, Answer> expected = ofEngine(engine.environmentFlags(), visibleToClient());
    FlagsmithClient sdk = remote(CLIENT_KEY);
    try {
      assertEquals(expected, ofSdk(sdk.getEnvironmentFlags()));
      assertEquals(expected, ofServer(get("/api/v1/flags/", CLIENT_KEY)));
      assertFalse(expected.containsKey(SERVER_ONLY));
    } finally {
      sdk.close();
    }
  }

  @Test
  void environmentFlags_serverKey_includeServerOnlyFeature() throws Exception {
    Map<String, Answer> expected = ofEngine(engine.environmentFlags(), flag -> true);
    FlagsmithClient sdk = remote(SERVER_KEY);
    try {
      assertEquals(expected, ofSdk(sdk.getEnvironmentFlags()));
      assertEquals(expected, ofServer(get("/api/v1/flags/", SERVER_KEY)));
      assertTrue(expected.containsKey(SERVER_ONLY));
    } finally {
      sdk.close();
    }
  }

  @Test
  void identityFlags_traitsOfEveryType_sdkMatchesEngineAndServer() throws Exception {
    FlagsmithClient sdk = remote(CLIENT_KEY);
    try {
      for (Identity identity : IDENTITIES) {
        Map<String, Answer> expected =
            ofEngine(
                engine.identityFlags(identity.identifier(), identity.traits()), visibleToClient());
        Map<String, Answer> viaSdk =
            ofSdk(sdk.getIdentityFlags(identity.identifier(), identity.traits()));
        assertEquals(expected, viaSdk, identity.toString());
        assertEquals(expected, ofServer(postIdentity(identity).get("flags")), identity.toString());
      }
      // The fixture must really exercise every trait type, the override and the split.
      Map<String, Answer> beta =
          ofSdk(sdk.getIdentityFlags("beta-tester", IDENTITIES.get(1).traits()));
      assertEquals(new Answer(true, json("Beta banner")), beta.get("banner_text"));
      assertEquals(new Answer(true, json(250)), beta.get("max_cart_items"));
      assertEquals(new Answer(true, json(0.25)), beta.get("discount_rate"));
      assertEquals(new Answer(true, json(true)), beta.get("admin_panel"));
      Map<String, Answer> vip = ofSdk(sdk.getIdentityFlags("vip-user", Map.of("plan", "beta")));
      assertEquals(new Answer(true, json("Welcome back, VIP")), vip.get("banner_text"));
      assertTrue(variantsSeen(sdk).size() >= 2, "button_colour never split");
    } finally {
      sdk.close();
    }
  }

  /**
   * Local evaluation: the SDK fetches {@code environment-document/} with the server key and runs
   * its own engine, the old one (spec/engine.md §12). On this fixture it agrees with ours on every
   * feature, the multivariate split included, so no feature is left out; the fixture avoids the
   * known divergences (§9: REGEX find, numeric-string coercion, nested rules, segment order), which
   * would otherwise have to be excluded here.
   */
  @Test
  void localEvaluation_serverKey_sdkMatchesEngine() throws Exception {
    // withApiUrl would replace the whole configuration, so the URL goes into the config here.
    FlagsmithClient sdk =
        FlagsmithClient.newBuilder()
            .setApiKey(SERVER_KEY)
            .withConfiguration(
                FlagsmithConfig.newBuilder()
                    .baseUri(apiUrl())
                    .withLocalEvaluation(true)
                    .withEnvironmentRefreshIntervalSeconds(60)
                    .build())
            .build();
    try {
      assertNotNull(sdk.getEnvironment(), "environment document not loaded");
      assertEquals(
          ofEngine(engine.environmentFlags(), flag -> true), ofSdk(sdk.getEnvironmentFlags()));
      for (Identity identity : IDENTITIES) {
        assertEquals(
            ofEngine(engine.identityFlags(identity.identifier(), identity.traits()), flag -> true),
            ofSdk(sdk.getIdentityFlags(identity.identifier(), identity.traits())),
            identity.toString());
      }
    } finally {
      sdk.close();
    }
  }

  @Test
  void analytics_sdkFlush_acceptedByServer() throws Exception {
    FlagsmithConfig config =
        FlagsmithConfig.newBuilder().baseUri(apiUrl()).withEnableAnalytics(true).build();
    FlagsmithClient sdk =
        FlagsmithClient.newBuilder().setApiKey(CLIENT_KEY).withConfiguration(config).build();
    try {
      assertTrue(sdk.getEnvironmentFlags().isFeatureEnabled("banner_text"));
      config.getAnalyticsProcessor().flush(); // posts analytics/flags/ in the background
      ServerTestSupport.pollUntil(
          () -> metrics().contains("route=\"analytics\",status=\"200\""), Duration.ofSeconds(10));
      assertTrue(metrics().contains("route=\"analytics\",status=\"200\""), metrics());
    } finally {
      sdk.close();
    }
  }

  private static List<Identity> identities() {
    List<Identity> identities =
        new ArrayList<>(
            List.of(
                new Identity("anonymous", Map.of()),
                new Identity(
                    "beta-tester",
                    Map.of("plan", "beta", "orders", 150, "ratio", 0.25, "is_admin", true)),
                new Identity(
                    "casual",
                    Map.of("plan", "free", "orders", 3, "ratio", 0.75, "is_admin", false)),
                new Identity(
                    "edge-values",
                    Map.of("plan", "", "orders", 100L, "ratio", 0.5, "is_admin", true)),
                new Identity("vip-user", Map.of("plan", "beta", "orders", 99))));
    IntStream.range(0, 20).forEach(i -> identities.add(new Identity("user-" + i, Map.of())));
    return List.copyOf(identities);
  }

  private static Set<JsonNode> variantsSeen(FlagsmithClient sdk) throws Exception {
    Set<JsonNode> values = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      values.add(ofSdk(sdk.getIdentityFlags("user-" + i)).get("button_colour").value());
    }
    return values;
  }

  private static FlagsmithClient remote(String key) {
    return FlagsmithClient.newBuilder().setApiKey(key).withApiUrl(apiUrl()).build();
  }

  private static String apiUrl() {
    return "http://localhost:" + server.port() + "/api/v1/";
  }

  private static Predicate<Flag> visibleToClient() {
    return flag ->
        !engine.serverKeyOnlyFeatureIds().contains(flag.featureId())
            && !(engine.hideDisabledFlags() && !flag.enabled());
  }

  private static Map<String, Answer> ofEngine(List<Flag> flags, Predicate<Flag> visible)
      throws Exception {
    Map<String, Answer> answers = new TreeMap<>();
    for (Flag flag : flags) {
      if (visible.test(flag)) {
        answers.put(
            flag.name(), new Answer(flag.enabled(), normalised(MAPPER.readTree(flag.valueJson()))));
      }
    }
    return answers;
  }

  private static Map<String, Answer> ofSdk(Flags flags) {
    Map<String, Answer> answers = new TreeMap<>();
    for (BaseFlag flag : flags.getAllFlags()) {
      answers.put(flag.getFeatureName(), new Answer(flag.getEnabled(), json(flag.getValue())));
    }
    return answers;
  }

  private static Map<String, Answer> ofServer(JsonNode flagList) {
    Map<String, Answer> answers = new TreeMap<>();
    for (JsonNode flag : flagList) {
      answers.put(
          flag.get("feature").get("name").textValue(),
          new Answer(
              flag.get("enabled").booleanValue(), normalised(flag.get("feature_state_value"))));
    }
    return answers;
  }

  private static JsonNode json(Object value) {
    return normalised(
        value == null ? JsonNodeFactory.instance.nullNode() : MAPPER.valueToTree(value));
  }

  private static JsonNode normalised(JsonNode value) {
    if (value.isIntegralNumber()) {
      return JsonNodeFactory.instance.numberNode(value.bigIntegerValue());
    }
    return value.isNumber() ? JsonNodeFactory.instance.numberNode(value.doubleValue()) : value;
  }

  private static JsonNode get(String path, String key) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base() + path)).header("X-Environment-Key", key).GET());
  }

  private static JsonNode postIdentity(Identity identity) throws Exception {
    ObjectNode body = MAPPER.createObjectNode().put("identifier", identity.identifier());
    ArrayNode traits = body.putArray("traits");
    identity
        .traits()
        .forEach(
            (key, value) ->
                traits
                    .addObject()
                    .put("trait_key", key)
                    .set("trait_value", MAPPER.valueToTree(value)));
    return send(
        HttpRequest.newBuilder(URI.create(base() + "/api/v1/identities/"))
            .header("X-Environment-Key", CLIENT_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private static String metrics() {
    return ServerTestSupport.send(HttpRequest.newBuilder(URI.create(base() + "/metrics")).build())
        .body();
  }

  private static JsonNode send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return MAPPER.readTree(response.body());
  }

  private static String base() {
    return "http://127.0.0.1:" + server.port();
  }
}
