package dev.flagedge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagedge.engine.Environment;
import dev.flagedge.engine.FeatureType;
import dev.flagedge.engine.Flag;
import dev.flagedge.engine.Operator;
import dev.flagedge.sync.FlagEdgeClient;
import dev.flagedge.sync.Flags;
import dev.flagedge.sync.LoadedEnvironment;
import dev.flagedge.sync.SyncListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestEnvironmentTest {
  private static Flags identity(TestEnvironment flags, String identifier, Map<String, ?> traits) {
    return flags.client().identityFlags(identifier, traits);
  }

  /** Records the documents a client announces, as banner values. */
  private static final class Changes implements SyncListener {
    final List<String> banners = new ArrayList<>();

    @Override
    public void onChange(String clientKey, LoadedEnvironment current) {
      banners.add(
          current
              .environment()
              .environmentFlag("banner")
              .flatMap(Flag::value)
              .orElse("-")
              .toString());
    }
  }

  @Test
  void create_flagsAndValues_servedByTheClient() {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("new_checkout", true)
                    .flag("banner", true, "Welcome")
                    .flag("max_items", true, 50)
                    .flag("discount", true, 12.34)
                    .flag("theme", true, Map.of("dark", true))
                    .flag("legacy", false, "old"))) {
      FlagEdgeClient client = flags.client();
      assertTrue(client.isEnabled("new_checkout"));
      assertFalse(client.isEnabled("legacy"));
      Flags environment = client.environmentFlags();
      assertEquals("Welcome", environment.value("banner", ""));
      assertEquals(50, environment.value("max_items", 0));
      assertEquals(12.34, environment.value("discount", 0.0));
      assertEquals(Map.of("dark", true), environment.value("theme", Map.of()));
      assertEquals(
          "\"12.34\"",
          environment.flag("discount").orElseThrow().valueJson(),
          "floats are stored as strings, as Flagsmith stores them");
      assertEquals("test-environment", client.status().clientKey());
    }
  }

  @Test
  void update_flipAndChange_servedWhenUpdateReturns() {
    try (TestEnvironment flags =
        TestEnvironment.create(doc -> doc.flag("banner", true, "v1").flag("new_checkout", false))) {
      flags.update(doc -> doc.flag("new_checkout", true).flag("banner", true, "v2"));
      assertTrue(flags.client().isEnabled("new_checkout"));
      assertEquals("v2", flags.client().environmentFlags().value("banner", ""));
      flags.update(doc -> doc.flag("banner", false));
      assertFalse(flags.client().isEnabled("banner"));
      assertEquals(
          "v2", flags.client().environmentFlags().value("banner", ""), "flipping keeps the value");
    }
  }

  @Test
  void update_clientListeners_toldBeforeUpdateReturns() {
    try (TestEnvironment flags = TestEnvironment.create(doc -> doc.flag("banner", true, "v1"))) {
      Changes changes = new Changes();
      flags.client().addListener(changes);
      flags.update(doc -> doc.flag("banner", true, "v2"));
      assertEquals(List.of("v1", "v2"), changes.banners);
    }
  }

  @Test
  void update_changingNothing_tellsNobody() {
    try (TestEnvironment flags = TestEnvironment.create(doc -> doc.flag("banner", true, "v1"))) {
      Changes changes = new Changes();
      flags.client().addListener(changes);
      byte[] before = flags.documentJson();
      flags.update(doc -> doc.flag("banner", true, "v1"));
      assertEquals(List.of("v1"), changes.banners);
      assertEquals(new String(before), new String(flags.documentJson()));
    }
  }

  @Test
  void update_changeThrows_documentUnchanged() {
    try (TestEnvironment flags = TestEnvironment.create(doc -> doc.flag("banner", true, "v1"))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> flags.update(doc -> doc.flag("banner", true, "v2").removeSegment("missing")));
      assertEquals("no segment named: missing", e.getMessage());
      assertEquals("v1", flags.client().environmentFlags().value("banner", ""));
      flags.update(doc -> {});
      assertEquals("v1", flags.client().environmentFlags().value("banner", ""));
    }
  }

  @Test
  void update_afterClose_throwsIllegalState() {
    TestEnvironment flags = TestEnvironment.create();
    flags.close();
    flags.close();
    assertThrows(IllegalStateException.class, () -> flags.update(doc -> doc.flag("x", true)));
  }

  @Test
  void update_documentUpdatedAtMovesForward() {
    try (TestEnvironment flags = TestEnvironment.create(doc -> doc.flag("banner", true, "v1"))) {
      String before = Environment.parse(flags.documentJson()).updatedAt().orElseThrow();
      flags.update(doc -> doc.flag("banner", true, "v2"));
      String after = Environment.parse(flags.documentJson()).updatedAt().orElseThrow();
      assertTrue(after.compareTo(before) > 0, before + " then " + after);
      assertEquals(after, flags.client().status().documentUpdatedAt().orElseThrow());
    }
  }

  @Test
  void segmentOverride_memberByTraits_overrideWins() {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("new_checkout", false)
                    .flag("max_items", true, 10)
                    .segment("beta", s -> s.where("plan", Operator.EQUAL, "beta"))
                    .segment("bulk", s -> s.where("orders", Operator.GREATER_THAN_INCLUSIVE, 100))
                    .segmentOverride("beta", "new_checkout", true)
                    .segmentOverride("bulk", "max_items", true, 250))) {
      assertTrue(identity(flags, "alice", Map.of("plan", "beta")).isEnabled("new_checkout"));
      assertFalse(identity(flags, "bob", Map.of("plan", "free")).isEnabled("new_checkout"));
      assertEquals(250, identity(flags, "carol", Map.of("orders", 150)).value("max_items", 0));
      assertEquals(10, identity(flags, "dave", Map.of("orders", 99)).value("max_items", 0));
      Flag matched =
          identity(flags, "alice", Map.of("plan", "beta")).flag("new_checkout").orElseThrow();
      assertEquals(Flag.Reason.TARGETING_MATCH, matched.reason());
      assertEquals(Optional.of("beta"), matched.segmentName());
    }
  }

  @Test
  void segmentOverride_identityInTwoSegments_firstAddedWins() {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("banner", true, "default")
                    .segment("first", s -> s.where("plan", Operator.IS_SET))
                    .segment("second", s -> s.where("plan", Operator.EQUAL, "pro"))
                    .segmentOverride("first", "banner", true, "first")
                    .segmentOverride("second", "banner", true, "second"))) {
      assertEquals("first", identity(flags, "u", Map.of("plan", "pro")).value("banner", ""));
    }
  }

  @Test
  void update_addSegmentDuringTest_reachesIdentities() {
    try (TestEnvironment flags = TestEnvironment.create(doc -> doc.flag("new_checkout", false))) {
      assertFalse(identity(flags, "a", Map.of("country", "de")).isEnabled("new_checkout"));
      flags.update(
          doc ->
              doc.segment("dach", s -> s.where("country", Operator.IN, List.of("de", "at", "ch")))
                  .segmentOverride("dach", "new_checkout", true));
      assertTrue(identity(flags, "a", Map.of("country", "de")).isEnabled("new_checkout"));
      assertFalse(identity(flags, "b", Map.of("country", "fr")).isEnabled("new_checkout"));
    }
  }

  @Test
  void segment_anyOfAndAll_combined() {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("f", false)
                    .segment(
                        "staff_or_beta_in_eu",
                        s ->
                            s.where("region", Operator.EQUAL, "eu")
                                .anyOf(
                                    any ->
                                        any.where("email", Operator.REGEX, ".*@example\\.com$")
                                            .where("plan", Operator.EQUAL, "beta")))
                    .segmentOverride("staff_or_beta_in_eu", "f", true))) {
      assertTrue(
          identity(flags, "a", Map.of("region", "eu", "email", "x@example.com")).isEnabled("f"));
      assertTrue(identity(flags, "b", Map.of("region", "eu", "plan", "beta")).isEnabled("f"));
      assertFalse(identity(flags, "c", Map.of("region", "us", "plan", "beta")).isEnabled("f"));
      assertFalse(identity(flags, "d", Map.of("region", "eu", "plan", "free")).isEnabled("f"));
    }
  }

  @Test
  void segment_percentageSplit_allOrNone() {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("all", false)
                    .flag("none", false)
                    .segment("everyone", s -> s.percentageSplit(100))
                    .segment("nobody", s -> s.percentageSplit(0))
                    .segmentOverride("everyone", "all", true)
                    .segmentOverride("nobody", "none", true))) {
      for (int i = 0; i < 50; i++) {
        Flags user = identity(flags, "user-" + i, Map.of());
        assertTrue(user.isEnabled("all"));
        assertFalse(user.isEnabled("none"));
      }
    }
  }

  @Test
  void identityOverride_beatsSegmentOverride() {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("banner", true, "default")
                    .segment("beta", s -> s.where("plan", Operator.EQUAL, "beta"))
                    .segmentOverride("beta", "banner", true, "beta")
                    .identityOverride("vip", "banner", true, "vip"))) {
      assertEquals("vip", identity(flags, "vip", Map.of("plan", "beta")).value("banner", ""));
      assertEquals("beta", identity(flags, "other", Map.of("plan", "beta")).value("banner", ""));
      assertEquals("default", flags.client().environmentFlags().value("banner", ""));
    }
  }

  @Test
  void variants_weights_splitIdentitiesStablyWithControlRest() {
    Consumer<TestDocument> colours =
        doc ->
            doc.feature(
                "colour",
                f ->
                    f.enabled(true)
                        .value("blue")
                        .variant("green", "green", 30)
                        .variant("orange", "orange", 30));
    try (TestEnvironment flags = TestEnvironment.create(colours);
        TestEnvironment again = TestEnvironment.create(colours)) {
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        Flag flag = identity(flags, "user-" + i, Map.of()).flag("colour").orElseThrow();
        counts.merge(flag.value().orElseThrow().toString(), 1, Integer::sum);
        assertEquals(
            flag.value(),
            identity(again, "user-" + i, Map.of()).flag("colour").orElseThrow().value(),
            "the same document splits the same way");
      }
      assertEquals(Set.of("green", "orange", "blue"), counts.keySet());
      assertTrue(counts.get("blue") > 60, counts.toString()); // about 40% control
      Flag environment = flags.client().environmentFlags().flag("colour").orElseThrow();
      assertEquals("blue", environment.value().orElseThrow());
      assertEquals(FeatureType.MULTIVARIATE, environment.type());
    }
  }

  @Test
  void variant_sharesOver100_throwsIllegalArgument() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TestEnvironment.create(
                    doc ->
                        doc.feature("colour", f -> f.variant("a", "a", 60).variant("b", "b", 50))));
    assertEquals("variant percentages of colour exceed 100: 110.0", e.getMessage());
  }

  @Test
  void fromResource_exportedDocument_singleFlagOverridden() {
    try (TestEnvironment flags = TestEnvironment.fromResource("/flags/environment.json")) {
      assertEquals("demo_client_key", flags.client().status().clientKey());
      assertEquals(
          "Welcome back, VIP", identity(flags, "vip-user", Map.of()).value("banner_text", ""));

      flags.update(doc -> doc.feature("banner_text", f -> f.value("Testing").clearTargeting()));

      assertEquals("Testing", identity(flags, "vip-user", Map.of()).value("banner_text", ""));
      assertEquals("Testing", flags.client().environmentFlags().value("banner_text", ""));
      assertEquals(50, flags.client().environmentFlags().value("max_cart_items", 0), "untouched");
      assertTrue(
          identity(flags, "u", Map.of("plan", "beta")).isEnabled("checkout_v2"),
          "other targeting stays");
    }
  }

  @Test
  void fromFile_exportedDocument_served(@TempDir Path directory) throws IOException {
    Path file = directory.resolve("environment.json");
    try (TestEnvironment source = TestEnvironment.create(doc -> doc.flag("banner", true, "v1"))) {
      Files.write(file, source.documentJson());
    }
    try (TestEnvironment flags = TestEnvironment.fromFile(file)) {
      flags.update(doc -> doc.flag("second", true));
      assertEquals("v1", flags.client().environmentFlags().value("banner", ""));
      assertTrue(flags.client().isEnabled("second"));
    }
  }

  @Test
  void fromResource_missingOrInvalid_throwsIllegalArgument(@TempDir Path directory)
      throws IOException {
    assertThrows(IllegalArgumentException.class, () -> TestEnvironment.fromResource("nope.json"));
    Path broken = Files.writeString(directory.resolve("broken.json"), "{\"api_key\": 1}");
    assertThrows(IllegalArgumentException.class, () -> TestEnvironment.fromFile(broken));
  }

  @Test
  void removeFeature_overridesGoToo() {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("banner", true, "x")
                    .flag("other", true)
                    .identityOverride("vip", "banner", false))) {
      flags.update(doc -> doc.removeFeature("banner"));
      assertTrue(flags.client().environmentFlags().flag("banner").isEmpty());
      assertTrue(identity(flags, "vip", Map.of()).flag("banner").isEmpty());
      String json = new String(flags.documentJson());
      assertFalse(json.contains("\"vip\""), "an identity left without overrides is removed");
    }
  }

  @Test
  void overrides_missingFeatureOrSegment_throwIllegalArgument() {
    try (TestEnvironment flags = TestEnvironment.create(doc -> doc.flag("f", true))) {
      assertThrows(
          IllegalArgumentException.class,
          () -> flags.update(doc -> doc.identityOverride("u", "missing", true)));
      assertThrows(
          IllegalArgumentException.class,
          () -> flags.update(doc -> doc.segmentOverride("missing", "f", true)));
      assertThrows(
          IllegalArgumentException.class,
          () -> flags.update(doc -> doc.flag("f", true, new Object())));
      assertThrows(
          IllegalArgumentException.class,
          () -> flags.update(doc -> doc.segment("s", s -> s.where("p", Operator.IS_SET, "x"))));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              flags.update(
                  doc -> doc.segment("s", s -> s.where("p", Operator.PERCENTAGE_SPLIT, 50))));
      assertThrows(
          IllegalArgumentException.class,
          () -> flags.update(doc -> doc.segment("s", s -> s.where("p", Operator.EQUAL))));
    }
  }

  @Test
  void override_missingFeature_leavesNoSegmentStateOrIdentity() throws IOException {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc -> {
              doc.flag("banner", true).segment("beta", s -> s.where("plan", Operator.IS_SET));
              assertThrows(
                  IllegalArgumentException.class,
                  () -> doc.identityOverride("vip", "missing", true, "x"));
              assertThrows(
                  IllegalArgumentException.class,
                  () -> doc.segmentOverride("beta", "missing", true));
            })) {
      JsonNode root = new ObjectMapper().readTree(flags.documentJson());
      assertEquals(0, root.get("identity_overrides").size());
      assertEquals(0, root.get("project").get("segments").get(0).get("feature_states").size());
    }
  }

  @Test
  void documentJson_realFlagsmithShape() throws IOException {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("banner", true, "x")
                    .segment("beta", s -> s.where("plan", Operator.EQUAL, "beta"))
                    .segmentOverride("beta", "banner", false)
                    .identityOverride("vip", "banner", true, "vip"))) {
      JsonNode root = new ObjectMapper().readTree(flags.documentJson());
      JsonNode state = root.get("feature_states").get(0);
      assertEquals("banner", state.get("feature").get("name").asText());
      assertTrue(state.get("django_id").isInt());
      assertEquals(36, state.get("featurestate_uuid").asText().length());
      JsonNode segment = root.get("project").get("segments").get(0);
      assertEquals("ALL", segment.get("rules").get(0).get("type").asText());
      assertEquals(
          "plan", segment.get("rules").get(0).get("conditions").get(0).get("property_").asText());
      assertEquals(
          0, segment.get("feature_states").get(0).get("feature_segment").get("priority").asInt());
      assertEquals(
          "vip",
          root.get("identity_overrides")
              .get(0)
              .get("identity_features")
              .get(0)
              .get("feature_state_value")
              .asText());
      assertEquals(1, Environment.parse(flags.documentJson()).environmentFlags().size());
    }
  }
}
