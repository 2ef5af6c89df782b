package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Flagsmith Node SDK (npm flagsmith-nodejs 8.1.2, installed by this test into
 * target/node-sdk) against a running server: remote environment and identity flags, local
 * evaluation from the environment document, and analytics. Skipped when Node.js and npm are not
 * installed.
 */
class NodeSdkCompatibilityTest {
  private static final String CLIENT = Main.DEMO_CLIENT_KEY;
  private static final String SERVER = Main.DEMO_SERVER_KEY;
  private static final Map<String, Object> TRAITS =
      Map.of(
          "plan", "beta", "orders", 120, "ratio", 0.5, "admin", true, "email", "alice@example.com");
  private static final Path SDK_DIR = Path.of("target", "node-sdk");

  private static EdgeServer server;
  private static Environment environment;
  private static JsonNode seen;

  @BeforeAll
  static void runSdk() throws Exception {
    assumeTrue(
        ExternalCommands.works("node", "--version") && ExternalCommands.works("npm", "--version"),
        "Node.js and npm are needed for the Node SDK compatibility test");
    installSdk();
    byte[] document;
    try (InputStream in =
        NodeSdkCompatibilityTest.class.getResourceAsStream("/demo-environment.json")) {
      document = in.readAllBytes();
    }
    environment = Environment.parse(document);
    Path file = Files.createTempFile("node-sdk-", ".json");
    Files.write(file, document);
    server =
        EdgeServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .environmentFile(file, Optional.of(SERVER))
                .build());
    String output =
        run(
            SDK_DIR,
            "node",
            "sdk-check.cjs",
            "http://127.0.0.1:" + server.port() + "/api/v1/",
            CLIENT,
            SERVER);
    seen = ServerTestSupport.JSON.readTree(output);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void remoteEnvironmentFlags_matchEngine() {
    assertEquals(
        expected(visibleToClient(environment.environmentFlags())), seen.get("environment"));
  }

  @Test
  void remoteIdentityFlags_withTraitsOfEveryType_matchEngine() {
    assertEquals(
        expected(visibleToClient(environment.identityFlags("alice", TRAITS))),
        seen.get("identity"));
  }

  @Test
  void localEvaluation_fromEnvironmentDocument_matchesEngine() {
    assertEquals(expected(environment.environmentFlags()), seen.get("localEnvironment"));
    assertEquals(expected(environment.identityFlags("alice", TRAITS)), seen.get("localIdentity"));
  }

  @Test
  void analytics_flushedBySdk_accepted() {
    String metrics = ServerTestSupport.get(server, "/metrics", null).body();
    assertTrue(
        metrics.contains("flagedge_http_requests_total{route=\"analytics\",status=\"200\"}"),
        metrics);
  }

  private List<Flag> visibleToClient(List<Flag> flags) {
    return flags.stream()
        .filter(f -> !environment.serverKeyOnlyFeatureIds().contains(f.featureId()))
        .filter(f -> f.enabled() || !environment.hideDisabledFlags())
        .toList();
  }

  /** The Node script's summary shape: name, enabled, value; sorted by name. */
  private static JsonNode expected(List<Flag> flags) {
    ArrayNode array = ServerTestSupport.JSON.createArrayNode();
    flags.stream()
        .sorted(Comparator.comparing(Flag::name))
        .forEach(
            flag -> {
              try {
                array
                    .addObject()
                    .put("name", flag.name())
                    .put("enabled", flag.enabled())
                    .set("value", ServerTestSupport.JSON.readTree(flag.valueJson()));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    return array;
  }

  private static void installSdk() throws Exception {
    Files.createDirectories(SDK_DIR);
    try (InputStream script =
        NodeSdkCompatibilityTest.class.getResourceAsStream("/node/sdk-check.cjs")) {
      Files.copy(script, SDK_DIR.resolve("sdk-check.cjs"), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(SDK_DIR.resolve("node_modules/flagsmith-nodejs"))) {
      Files.writeString(
          SDK_DIR.resolve("package.json"), "{\"name\":\"sdk-check\",\"private\":true}");
      run(
          SDK_DIR,
          "npm",
          "install",
          "--no-audit",
          "--no-fund",
          "--loglevel=error",
          "flagsmith-nodejs@8.1.2");
    }
  }

  private static String run(Path dir, String... command) throws Exception {
    return ExternalCommands.run(dir, List.of(command));
  }
}
