package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Flagsmith environment document, compiled once for fast repeated evaluation.
 *
 * <p>Parsing maps the document exactly as the reference SDK mapper does, parses every condition
 * value and regex once, and evaluates the environment flags up front. Evaluating for an identity
 * then only visits segments that carry overrides, and finds identity overrides by a hash lookup.
 *
 * <p>Instances are immutable and thread-safe. Evaluation never throws for bad data in the document.
 */
public final class Environment {
  private final String apiKey;
  private final String name;
  private final String updatedAt;
  private final boolean hideDisabledFlags;
  private final boolean identityOverridesInLocalEvaluation;
  private final Set<Long> serverKeyOnlyFeatureIds;
  private final CompiledContext context;

  /** The fast paths this document fell back from, in order: none for a usual document. */
  final List<FastPath.Fallback> fallbacks;

  private final List<Flag> environmentFlags;
  private final Map<String, Flag> environmentFlagsByName;

  private Environment(DocumentReader.Read read) {
    JsonNode document = read.document();
    this.context = read.compiled();
    this.fallbacks = read.fallbacks();
    this.apiKey = context.environmentKey;
    this.name = Json.textOr(document, "name", "$", "");
    this.updatedAt = Json.textOr(document, "updated_at", "$", null);
    // Informational only: a value of another type must not stop a document from loading.
    JsonNode identityOverrides = document.get("use_identity_overrides_in_local_eval");
    this.identityOverridesInLocalEvaluation =
        identityOverrides == null
            || !identityOverrides.isBoolean()
            || identityOverrides.booleanValue();
    JsonNode project = Json.object(document, "project", "$");
    this.hideDisabledFlags = Json.bool(project, "hide_disabled_flags", "$.project", false);
    this.serverKeyOnlyFeatureIds =
        featureIds(Json.array(project, "server_key_only_feature_ids", "$.project"));
    this.environmentFlags =
        List.of(context.flags(Evaluation.withoutIdentity(context.tree, context.traitSlots)));
    Map<String, Flag> byName = new HashMap<>();
    for (Flag flag : environmentFlags) {
      byName.put(flag.name(), flag);
    }
    this.environmentFlagsByName = Collections.unmodifiableMap(byName);
  }

  /**
   * Parses and compiles an environment document.
   *
   * @param json the document as UTF-8 JSON
   * @return the compiled environment
   * @throws DocumentParseException if the bytes are not JSON or not an environment document
   */
  public static Environment parse(byte[] json) {
    return new Environment(DocumentReader.read(Objects.requireNonNull(json, "json")));
  }

  /**
   * Parses and compiles an environment document.
   *
   * @param json the document as JSON text
   * @return the compiled environment
   * @throws DocumentParseException if the text is not JSON or not an environment document
   */
  public static Environment parse(String json) {
    return new Environment(DocumentReader.read(Objects.requireNonNull(json, "json")));
  }

  /**
   * Reads, parses and compiles an environment document. The stream is read to its end, not closed.
   *
   * @param json the document as UTF-8 JSON
   * @return the compiled environment
   * @throws IOException if reading the stream fails
   * @throws DocumentParseException if the content is not JSON or not an environment document
   */
  public static Environment parse(InputStream json) throws IOException {
    return new Environment(DocumentReader.read(Objects.requireNonNull(json, "json")));
  }

  /**
   * Compiles an environment document that is already parsed, through the tree path (tests compare
   * it with the one-pass reading that {@link #parse} takes for usual documents).
   */
  static Environment of(JsonNode document) {
    Objects.requireNonNull(document, "document");
    return new Environment(
        DocumentReader.compile(document, IdentityOverrides.of(document), List.of()));
  }

  /** The client-side environment key ({@code api_key}), also the prefix of every identity key. */
  public String apiKey() {
    return apiKey;
  }

  /** The environment name, or an empty string for documents that have none. */
  public String name() {
    return name;
  }

  /** The document's {@code updated_at} timestamp as written by the API, when present. */
  public Optional<String> updatedAt() {
    return Optional.ofNullable(updatedAt);
  }

  /**
   * The project's {@code hide_disabled_flags}: whether client-key responses omit disabled flags.
   */
  public boolean hideDisabledFlags() {
    return hideDisabledFlags;
  }

  /**
   * The document's {@code use_identity_overrides_in_local_eval} (true when absent). When false,
   * Flagsmith exports the document without the identity overrides set in its dashboard, so none
   * apply here: the setting, not the engine, decides.
   */
  public boolean identityOverridesInLocalEvaluation() {
    return identityOverridesInLocalEvaluation;
  }

  /** Ids of features that client-key responses must omit. */
  public Set<Long> serverKeyOnlyFeatureIds() {
    return serverKeyOnlyFeatureIds;
  }

  /**
   * The environment's flags, in document order, evaluated without an identity (segments that match
   * without one still apply, as in the reference proxy). Computed once, at parse time.
   */
  public List<Flag> environmentFlags() {
    return environmentFlags;
  }

  /** One environment flag by feature name. */
  public Optional<Flag> environmentFlag(String featureName) {
    return Optional.ofNullable(environmentFlagsByName.get(featureName));
  }

  /**
   * The flags for an identity with the given traits, in document order.
   *
   * @param identifier the identity's identifier
   * @param traits trait values: {@link String}, {@link Boolean}, integral or floating-point {@link
   *     Number}, or {@code null} (a null value counts as not set); other objects are taken as their
   *     string form
   * @return the flags; the list is immutable
   */
  public List<Flag> identityFlags(String identifier, Map<String, ?> traits) {
    return List.of(context.flags(evaluation(identifier, traits)));
  }

  /**
   * One flag for an identity, by feature name: the flag {@link #identityFlags(String, Map)} gives
   * for that feature, found by evaluating only the segments that override it.
   *
   * @param featureName the feature's name
   * @param identifier the identity's identifier
   * @param traits trait values, as for {@link #identityFlags(String, Map)}
   * @return the flag; empty when no feature has that name
   */
  public Optional<Flag> identityFlag(String featureName, String identifier, Map<String, ?> traits) {
    Objects.requireNonNull(featureName, "featureName");
    return Optional.ofNullable(context.flag(evaluation(identifier, traits), featureName));
  }

  /**
   * The full evaluation result for an identity, including the segments it matched.
   *
   * @param identifier the identity's identifier
   * @param traits trait values, as for {@link #identityFlags(String, Map)}
   * @return the result
   */
  public EvaluationResult evaluate(String identifier, Map<String, ?> traits) {
    return context.evaluate(evaluation(identifier, traits));
  }

  /** The full evaluation result without an identity. */
  public EvaluationResult evaluate() {
    return context.evaluate(Evaluation.withoutIdentity(context.tree, context.traitSlots));
  }

  /** Flags for an identity hashed on an explicit key, as the Core API does with database ids. */
  List<Flag> identityFlags(String identifier, String identityKey, Map<String, ?> traits) {
    return List.of(context.flags(evaluation(identifier, identityKey, traits)));
  }

  private Evaluation evaluation(String identifier, Map<String, ?> traits) {
    return evaluation(
        identifier, apiKey + "_" + Objects.requireNonNull(identifier, "identifier"), traits);
  }

  private Evaluation evaluation(String identifier, String identityKey, Map<String, ?> traits) {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(traits, "traits");
    return Evaluation.forIdentity(
        context.tree,
        identifier,
        identityKey,
        context.traitSlots.values(traits),
        context.tree == ContextTree.NONE ? null : engineValues(traits));
  }

  /** Every trait in engine form, for the JSON tree a JSONPath query reads. */
  private static Map<String, Object> engineValues(Map<String, ?> traits) {
    Map<String, Object> values = new HashMap<>(Math.max(4, traits.size() * 2));
    for (Map.Entry<String, ?> trait : traits.entrySet()) {
      values.put(trait.getKey(), Values.fromJava(trait.getValue()));
    }
    return values;
  }

  private static Set<Long> featureIds(JsonNode ids) {
    Set<Long> result = new LinkedHashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      if (!ids.get(i).canConvertToLong()) {
        throw Json.unexpected(
            "an integer", "$.project.server_key_only_feature_ids[" + i + "]", ids.get(i));
      }
      result.add(ids.get(i).longValue());
    }
    return Collections.unmodifiableSet(result);
  }

  @Override
  public String toString() {
    return "Environment{" + name + ", " + environmentFlags.size() + " flags}";
  }
}
