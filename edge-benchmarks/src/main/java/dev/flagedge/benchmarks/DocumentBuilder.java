package dev.flagedge.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Builds the parts of a Flagsmith environment document (engine.md §3) in the shape the Flagsmith
 * API writes them. Ids and UUIDs come from one seeded random source, so a given sequence of calls
 * always produces the same document. Not thread-safe; one instance builds one document.
 */
final class DocumentBuilder {
  /** One multivariate option: its value and its percentage allocation. */
  record Option(Object value, double percentage) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String CREATED = "2026-11-25T00:00:00.000000+00:00";

  private final SplittableRandom random;
  private final String apiKey;
  private int nextId = 1;

  DocumentBuilder(long seed, String apiKey) {
    this.random = new SplittableRandom(seed);
    this.apiKey = apiKey;
  }

  /** The random source, for callers that need seeded choices of their own. */
  SplittableRandom random() {
    return random;
  }

  /** The document shell: environment fields, project, and empty lists for the caller to fill. */
  ObjectNode document(String name) {
    ObjectNode doc = NODES.objectNode();
    doc.put("id", 1);
    doc.put("api_key", apiKey);
    doc.put("name", name);
    doc.put("updated_at", "2026-11-25T00:00:00.000000Z");
    doc.put("allow_client_traits", true);
    doc.put("hide_sensitive_data", false);
    doc.putNull("hide_disabled_flags");
    doc.put("use_identity_composite_key_for_hashing", true);
    doc.put("use_identity_overrides_in_local_eval", true);
    ObjectNode project = doc.putObject("project");
    project.put("id", 1);
    project.put("name", name + " project");
    ObjectNode organisation = project.putObject("organisation");
    organisation.put("id", 1);
    organisation.put("name", "FlagEdge benchmarks");
    organisation.put("feature_analytics", false);
    organisation.put("stop_serving_flags", false);
    organisation.put("persist_trait_data", true);
    project.put("hide_disabled_flags", false);
    project.put("enable_realtime_updates", false);
    project.putArray("server_key_only_feature_ids");
    project.putArray("segments");
    doc.putArray("feature_states");
    doc.putArray("identity_overrides");
    return doc;
  }

  /**
   * A feature state.
   *
   * @param priority the segment override priority, or {@code null} for environment and identity
   *     states
   */
  ObjectNode featureState(
      long featureId,
      String featureName,
      boolean enabled,
      Object value,
      Integer priority,
      List<Option> options) {
    ObjectNode state = NODES.objectNode();
    ObjectNode feature = state.putObject("feature");
    feature.put("id", featureId);
    feature.put("name", featureName);
    feature.put("type", options.isEmpty() ? "STANDARD" : "MULTIVARIATE");
    state.put("enabled", enabled);
    state.set("feature_state_value", value(value));
    state.put("django_id", nextId++);
    state.put("featurestate_uuid", uuid());
    if (priority == null) {
      state.putNull("feature_segment");
    } else {
      state.putObject("feature_segment").put("priority", priority);
    }
    ArrayNode values = state.putArray("multivariate_feature_state_values");
    for (Option option : options) {
      ObjectNode mv = values.addObject();
      mv.put("id", nextId++);
      mv.put("mv_fs_value_uuid", uuid());
      mv.put("percentage_allocation", option.percentage());
      ObjectNode multivariateOption = mv.putObject("multivariate_feature_option");
      multivariateOption.put("id", nextId++);
      multivariateOption.set("value", value(option.value()));
      multivariateOption.put("key", String.valueOf(option.value()));
    }
    return state;
  }

  /** A segment with one top-level {@code ALL} rule around one nested rule of the given type. */
  ObjectNode segment(
      long id,
      String name,
      String nestedType,
      List<ObjectNode> conditions,
      List<ObjectNode> overrides) {
    ObjectNode segment = NODES.objectNode();
    segment.put("id", id);
    segment.put("name", name);
    ObjectNode top = segment.putArray("rules").addObject();
    top.put("type", "ALL");
    ObjectNode nested = top.putArray("rules").addObject();
    top.putArray("conditions");
    nested.put("type", nestedType);
    nested.putArray("rules");
    nested.putArray("conditions").addAll(conditions);
    segment.putArray("feature_states").addAll(overrides);
    return segment;
  }

  /** A segment condition; the value is always written as a string, as the API does. */
  static ObjectNode condition(String operator, String property, String value) {
    ObjectNode condition = NODES.objectNode();
    condition.put("operator", operator);
    condition.put("property_", property);
    condition.put("value", value);
    return condition;
  }

  /** An identity override as the API writes it (traits stripped). */
  ObjectNode identityOverride(String identifier, List<ObjectNode> features) {
    ObjectNode identity = NODES.objectNode();
    identity.put("identifier", identifier);
    identity.put("environment_api_key", apiKey);
    identity.put("created_date", CREATED);
    identity.put("identity_uuid", uuid());
    identity.putNull("django_id");
    identity.putNull("dashboard_alias");
    identity.put("composite_key", apiKey + "_" + identifier);
    identity.putArray("identity_traits");
    identity.putArray("identity_features").addAll(features);
    return identity;
  }

  private String uuid() {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  private static JsonNode value(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof Integer i) {
      return NODES.numberNode(i);
    } else {
      return NODES.textNode(value.toString());
    }
  }
}
