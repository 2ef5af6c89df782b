package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates a raw evaluation context, the JSON form used by the reference engine and its
 * conformance suite: {@code {"environment": {...}, "identity": {...}, "segments": {...},
 * "features": {...}}}.
 *
 * <p>For serving many requests from one environment document, use {@link Environment}, which
 * compiles the document once. This class is stateless and thread-safe.
 */
public final class FlagEngine {
  private FlagEngine() {}

  /**
   * Evaluates an evaluation context given as JSON text.
   *
   * @param contextJson the context
   * @return the result: flags by name and matched segments
   * @throws DocumentParseException if the text is not a valid evaluation context
   */
  public static EvaluationResult evaluate(String contextJson) {
    return evaluate(
        Json.parse(Objects.requireNonNull(contextJson, "contextJson"), "evaluation context"));
  }

  /** Evaluates an evaluation context given as a parsed JSON tree. */
  static EvaluationResult evaluate(JsonNode context) {
    Json.requireObject(Objects.requireNonNull(context, "context"), "$");
    JsonNode environment = Json.requireObject(context.get("environment"), "$.environment");
    String environmentKey = Json.text(environment, "key", "$.environment");
    ContextCompiler compiler = new ContextCompiler(new PartPool(id -> FeatureInfo.STANDARD));
    ContextTree tree = ContextTree.lazy(() -> staticMembers(context));
    CompiledContext compiled =
        new CompiledContext(
            environmentKey,
            compiler.features(context, "$"),
            compiler.segments(context, "$"),
            tree,
            compiler.parts.traitSlots());
    return compiled.evaluate(
        evaluation(context.get("identity"), environmentKey, tree, compiled.traitSlots));
  }

  private static Evaluation evaluation(
      JsonNode identity, String environmentKey, ContextTree tree, TraitSlots slots) {
    if (identity == null || identity.isNull() || (identity.isObject() && identity.size() == 0)) {
      return Evaluation.withoutIdentity(tree, slots);
    }
    Json.requireObject(identity, "$.identity");
    String identifier = Json.textOr(identity, "identifier", "$.identity", "None");
    String key = Json.textOr(identity, "key", "$.identity", "");
    if (key.isEmpty()) {
      key = environmentKey + "_" + identifier;
    }
    Map<String, Object> traits = new HashMap<>();
    JsonNode traitNodes = Json.object(identity, "traits", "$.identity");
    for (Map.Entry<String, JsonNode> trait : traitNodes.properties()) {
      traits.put(trait.getKey(), Values.fromJson(trait.getValue()));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> identityTree = (Map<String, Object>) Values.fromJson(identity);
    identityTree.put("key", key);
    return Evaluation.forContextIdentity(tree, slots, identifier, key, traits, identityTree);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> staticMembers(JsonNode context) {
    Map<String, Object> members = (Map<String, Object>) Values.fromJson(context);
    members.remove("identity");
    return members;
  }
}
