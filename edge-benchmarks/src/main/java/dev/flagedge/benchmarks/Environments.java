package dev.flagedge.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the benchmark environment documents (Flagsmith environment-document JSON) for each
 * {@link Profile}. Generation is deterministic: the same profile always gives the same bytes.
 *
 * <p>Segment rules follow the dashboard's shape, a top-level {@code ALL} rule around one nested
 * rule. Conditions test traits {@code trait_0 … trait_14} against {@code "v0"}, {@code "v1"} or
 * {@code "v2"}, so the trait fixtures in {@link Traits} match a known subset of segments. Stateless
 * and thread-safe.
 */
public final class Environments {
  private static final long SEED = 20261125L;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<DocumentBuilder.Option> NO_OPTIONS = List.of();
  private static final List<String> IDENTITY_VALUES = List.of("on", "off", "beta", "gamma");

  private Environments() {}

  /**
   * Writes {@code <profile>.json} for every profile, and the identity request bodies the load
   * script posts ({@code <profile>-identity-<n>.json}), to a directory.
   *
   * @param args the output directory, then optionally the profile names to write (default: all)
   * @throws IOException if writing fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: Environments OUTPUT_DIR [simple|heavy|huge ...]");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Path.of(args[0]));
    List<Profile> profiles = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      profiles.add(Profile.of(args[i]));
    }
    for (Profile profile : profiles.isEmpty() ? List.of(Profile.values()) : profiles) {
      byte[] document = document(profile);
      Files.write(dir.resolve(profile.id() + ".json"), document);
      for (int traits : new int[] {0, 5, 15}) {
        Files.writeString(
            dir.resolve(profile.id() + "-identity-" + traits + ".json"),
            Traits.requestBody("bench-user-1", Traits.of(profile, traits)));
      }
      System.out.printf("%s.json: %,d bytes%n", profile.id(), document.length);
    }
  }

  /** The profile's environment document as UTF-8 JSON. */
  public static byte[] document(Profile profile) {
    ObjectNode document =
        switch (profile) {
          case SIMPLE -> simple();
          case HEAVY -> heavy();
          case HUGE -> huge();
        };
    try {
      return MAPPER.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode simple() {
    DocumentBuilder b = new DocumentBuilder(SEED, Profile.SIMPLE.apiKey());
    ObjectNode doc = b.document("Simple");
    List<DocumentBuilder.Option> colours =
        List.of(new DocumentBuilder.Option("green", 30), new DocumentBuilder.Option("orange", 30));
    ArrayNode states = array(doc, "feature_states");
    states.add(b.featureState(1, "banner_text", true, "Welcome to FlagEdge", null, NO_OPTIONS));
    states.add(b.featureState(2, "button_colour", true, "blue", null, colours));
    states.add(b.featureState(3, "checkout_v2", false, null, null, NO_OPTIONS));
    states.add(b.featureState(4, "max_cart_items", true, 50, null, NO_OPTIONS));
    states.add(b.featureState(5, "price_multiplier", true, "1.25", null, NO_OPTIONS));
    states.add(b.featureState(6, "internal_rate_limit", true, 1000, null, NO_OPTIONS));
    ObjectNode project = (ObjectNode) doc.get("project");
    array(project, "server_key_only_feature_ids").add(6);
    List<ObjectNode> conditions =
        List.of(
            DocumentBuilder.condition("EQUAL", "plan", "beta"),
            DocumentBuilder.condition("REGEX", "email", ".*@flagedge\\.dev$"));
    List<ObjectNode> overrides =
        List.of(
            b.featureState(3, "checkout_v2", true, null, 0, NO_OPTIONS),
            b.featureState(4, "max_cart_items", true, 250, 0, NO_OPTIONS));
    array(project, "segments").add(b.segment(10, "beta_users", "ANY", conditions, overrides));
    array(doc, "identity_overrides")
        .add(
            b.identityOverride(
                "vip-user",
                List.of(
                    b.featureState(
                        1, "banner_text", true, "Welcome back, VIP", null, NO_OPTIONS))));
    return doc;
  }

  private static ObjectNode heavy() {
    DocumentBuilder b = new DocumentBuilder(SEED, Profile.HEAVY.apiKey());
    ObjectNode doc = b.document("Heavy");
    int features = 50;
    addFeatures(b, doc, features);
    ArrayNode segments = array((ObjectNode) doc.get("project"), "segments");
    for (int s = 0; s < 15; s++) {
      List<ObjectNode> conditions = new ArrayList<>();
      for (int c = 0; c < 15; c++) {
        conditions.add(DocumentBuilder.condition("EQUAL", "trait_" + c, "v" + (s % 3)));
      }
      List<ObjectNode> overrides = new ArrayList<>();
      for (int f = 0; f < features; f++) {
        overrides.add(override(b, f, s));
      }
      segments.add(
          b.segment(
              100 + s,
              String.format("segment_%02d", s),
              s % 2 == 0 ? "ALL" : "ANY",
              conditions,
              overrides));
    }
    return doc;
  }

  private static ObjectNode huge() {
    DocumentBuilder b = new DocumentBuilder(SEED, Profile.HUGE.apiKey());
    ObjectNode doc = b.document("Huge");
    int features = 500;
    addFeatures(b, doc, features);
    ArrayNode segments = array((ObjectNode) doc.get("project"), "segments");
    for (int s = 0; s < 200; s++) {
      List<ObjectNode> overrides = new ArrayList<>();
      for (int k = 0; k < 25; k++) {
        overrides.add(override(b, (s * 7 + k * 20) % features, s));
      }
      segments.add(
          b.segment(
              1000 + s,
              String.format("segment_%03d", s),
              s % 2 == 0 ? "ALL" : "ANY",
              mixedConditions(s),
              overrides));
    }
    ArrayNode identities = array(doc, "identity_overrides");
    for (int i = 0; i < 100_000; i++) {
      List<ObjectNode> overrides = new ArrayList<>();
      int first = b.random().nextInt(features);
      overrides.add(identityFeature(b, first));
      if (i % 4 == 0) {
        overrides.add(
            identityFeature(b, (first + 1 + b.random().nextInt(features - 1)) % features));
      }
      identities.add(b.identityOverride(String.format("user_%06d", i), overrides));
    }
    return doc;
  }

  /** Three conditions per segment, cycling through the operators real projects use most. */
  private static List<ObjectNode> mixedConditions(int s) {
    List<ObjectNode> conditions = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      String trait = "trait_" + ((s + c * 5) % 15);
      String v = "v" + (s % 3);
      conditions.add(
          switch ((s + c) % 6) {
            case 0 -> DocumentBuilder.condition("EQUAL", trait, v);
            case 1 -> DocumentBuilder.condition("IN", trait, v + ",v7,v8,v9");
            case 2 -> DocumentBuilder.condition("REGEX", trait, "^" + v + "$");
            case 3 -> DocumentBuilder.condition("NOT_EQUAL", trait, "v" + ((s + 1) % 3));
            case 4 -> DocumentBuilder.condition("IS_SET", trait, null);
            default -> DocumentBuilder.condition("PERCENTAGE_SPLIT", null, "50");
          });
    }
    return conditions;
  }

  /**
   * Environment defaults for features {@code feature_NNN}: strings, integers, booleans and nulls in
   * turn; every tenth feature is multivariate and every fifth is disabled.
   */
  private static void addFeatures(DocumentBuilder b, ObjectNode doc, int count) {
    ArrayNode states = array(doc, "feature_states");
    for (int f = 0; f < count; f++) {
      states.add(
          b.featureState(f + 1, featureName(f), f % 5 != 4, defaultValue(f), null, options(f)));
    }
  }

  private static ObjectNode override(DocumentBuilder b, int f, int segment) {
    Object value = f % 4 == 1 ? (Object) (segment * 1000 + f) : "s" + segment + "_f" + f;
    return b.featureState(
        f + 1, featureName(f), (segment + f) % 2 == 0, value, segment, options(f));
  }

  private static ObjectNode identityFeature(DocumentBuilder b, int f) {
    Object value = IDENTITY_VALUES.get(b.random().nextInt(IDENTITY_VALUES.size()));
    return b.featureState(f + 1, featureName(f), b.random().nextBoolean(), value, null, options(f));
  }

  private static ArrayNode array(ObjectNode parent, String field) {
    return (ArrayNode) parent.get(field);
  }

  private static String featureName(int f) {
    return String.format("feature_%03d", f);
  }

  private static Object defaultValue(int f) {
    return switch (f % 4) {
      case 0 -> "value_" + f;
      case 1 -> f * 10;
      case 2 -> Boolean.TRUE;
      default -> null;
    };
  }

  private static List<DocumentBuilder.Option> options(int f) {
    if (f % 10 != 9) {
      return NO_OPTIONS;
    }
    return List.of(
        new DocumentBuilder.Option("variant_a", 25), new DocumentBuilder.Option("variant_b", 25));
  }
}
