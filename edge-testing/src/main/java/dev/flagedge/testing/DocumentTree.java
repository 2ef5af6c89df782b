package dev.flagedge.testing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagedge.engine.DocumentParseException;
import dev.flagedge.engine.Environment;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The JSON tree of a document being written, with the lookups and constructors of its parts; the
 * mechanics behind {@link TestDocument}, {@link FeatureSpec} and {@link SegmentSpec}. New parts get
 * ids one above the largest in the document. Not thread-safe.
 */
final class DocumentTree {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter FLAGSMITH_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String EMPTY =
      """
      {"id": 1, "api_key": "test-environment", "name": "Test environment",
       "updated_at": "2026-01-01T00:00:00.000000Z", "allow_client_traits": true,
       "hide_sensitive_data": false, "hide_disabled_flags": null,
       "use_identity_composite_key_for_hashing": true, "use_identity_overrides_in_local_eval": true,
       "project": {"id": 1, "name": "Test project",
         "organisation": {"id": 1, "name": "Test organisation", "feature_analytics": false,
           "stop_serving_flags": false, "persist_trait_data": true},
         "hide_disabled_flags": false, "enable_realtime_updates": false,
         "server_key_only_feature_ids": [], "segments": []},
       "feature_states": [], "identity_overrides": []}
      """;

  private final ObjectNode root;
  private int nextId;

  private DocumentTree(ObjectNode root, int nextId) {
    this.root = root;
    this.nextId = nextId;
  }

  /** An environment without features, segments or overrides, keyed {@code test-environment}. */
  static DocumentTree empty() {
    return parse(EMPTY.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An exported document, checked by compiling it.
   *
   * @throws IllegalArgumentException if it is not a valid environment document
   */
  static DocumentTree parse(byte[] json) {
    try {
      Environment.parse(json);
      ObjectNode root = (ObjectNode) JSON.readTree(json);
      array(root, "feature_states");
      array(root, "identity_overrides");
      JsonNode project = root.get("project");
      if (!(project instanceof ObjectNode)) {
        throw new IllegalArgumentException("not an environment document: no project object");
      }
      array((ObjectNode) project, "segments");
      return new DocumentTree(root, maxId(root) + 1);
    } catch (DocumentParseException | IOException e) {
      throw new IllegalArgumentException("not an environment document: " + e.getMessage(), e);
    }
  }

  /** An independent copy, so that a failing change leaves the original untouched. */
  DocumentTree copy() {
    return new DocumentTree(root.deepCopy(), nextId);
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write the document", e);
    }
  }

  String apiKey() {
    return root.path("api_key").asText();
  }

  void updatedAt(Instant instant) {
    root.put("updated_at", FLAGSMITH_TIME.format(instant));
  }

  /** A fresh id, one above every id in the document. */
  int nextId() {
    return nextId++;
  }

  ObjectNode root() {
    return root;
  }

  /** A feature's environment state, created disabled and without a value when absent. */
  ObjectNode environmentState(String feature) {
    Objects.requireNonNull(feature, "feature");
    ArrayNode states = array(root, "feature_states");
    return findState(states, feature)
        .orElseGet(
            () -> {
              ObjectNode info = NODES.objectNode();
              info.put("id", nextId()).put("name", feature).put("type", "STANDARD");
              ObjectNode state = newState(info, true);
              state.put("enabled", false);
              state.putNull("feature_state_value");
              states.add(state);
              return state;
            });
  }

  ObjectNode requireFeature(String feature) {
    Objects.requireNonNull(feature, "feature");
    return findState(array(root, "feature_states"), feature)
        .orElseThrow(() -> new IllegalArgumentException("no feature named: " + feature));
  }

  /** A feature state; with a django id (which seeds multivariate hashing) unless an identity's. */
  ObjectNode newState(ObjectNode feature, boolean withDjangoId) {
    ObjectNode state = NODES.objectNode();
    state.set("feature", feature);
    state.put("enabled", false);
    state.putNull("feature_state_value");
    if (withDjangoId) {
      state.put("django_id", nextId());
    } else {
      state.putNull("django_id");
    }
    state.put("featurestate_uuid", uuid());
    state.putNull("feature_segment");
    state.putArray("multivariate_feature_state_values");
    return state;
  }

  ObjectNode newSegment(String segment) {
    ObjectNode node = segments().addObject();
    node.put("id", nextId()).put("name", segment);
    node.putArray("rules");
    node.putArray("feature_states");
    return node;
  }

  ObjectNode newIdentity(String identifier) {
    ObjectNode identity = array(root, "identity_overrides").addObject();
    identity
        .put("identifier", identifier)
        .put("environment_api_key", apiKey())
        .put("created_date", "2026-01-01T00:00:00.000000+00:00")
        .put("identity_uuid", uuid());
    identity.putNull("django_id");
    identity.putNull("dashboard_alias");
    identity.put("composite_key", apiKey() + "_" + identifier);
    identity.putArray("identity_traits");
    identity.putArray("identity_features");
    return identity;
  }

  ArrayNode segments() {
    return array((ObjectNode) root.get("project"), "segments");
  }

  Optional<ObjectNode> findSegment(String segment) {
    Objects.requireNonNull(segment, "segment");
    return objects(segments()).stream()
        .filter(node -> segment.equals(node.path("name").asText(null)))
        .findFirst();
  }

  ObjectNode requireSegment(String segment) {
    return findSegment(segment)
        .orElseThrow(() -> new IllegalArgumentException("no segment named: " + segment));
  }

  Optional<ObjectNode> findIdentity(String identifier) {
    Objects.requireNonNull(identifier, "identifier");
    return objects(array(root, "identity_overrides")).stream()
        .filter(node -> identifier.equals(node.path("identifier").asText(null)))
        .findFirst();
  }

  static Optional<ObjectNode> findState(ArrayNode states, String feature) {
    return objects(states).stream()
        .filter(state -> feature.equals(state.path("feature").path("name").asText(null)))
        .findFirst();
  }

  int segmentOverrideCount(String feature) {
    int count = 0;
    for (ObjectNode segment : objects(segments())) {
      count += findState(array(segment, "feature_states"), feature).isPresent() ? 1 : 0;
    }
    return count;
  }

  /** Removes a feature's segment and identity overrides; identities left without any go too. */
  void removeTargeting(String feature) {
    for (ObjectNode segment : objects(segments())) {
      removeStates(array(segment, "feature_states"), feature);
    }
    Iterator<JsonNode> identities = array(root, "identity_overrides").iterator();
    while (identities.hasNext()) {
      JsonNode identity = identities.next();
      if (identity instanceof ObjectNode object) {
        ArrayNode features = array(object, "identity_features");
        removeStates(features, feature);
        if (features.isEmpty()) {
          identities.remove();
        }
      }
    }
  }

  static void removeStates(ArrayNode states, String feature) {
    Iterator<JsonNode> it = states.iterator();
    while (it.hasNext()) {
      if (feature.equals(it.next().path("feature").path("name").asText(null))) {
        it.remove();
      }
    }
  }

  /** The feature's {@code type} in every state of it: the environment's and its overrides'. */
  void featureType(String feature, String type) {
    ((ObjectNode) requireFeature(feature).get("feature")).put("type", type);
    for (ObjectNode segment : objects(segments())) {
      findState(array(segment, "feature_states"), feature)
          .ifPresent(state -> ((ObjectNode) state.get("feature")).put("type", type));
    }
    for (ObjectNode identity : objects(array(root, "identity_overrides"))) {
      findState(array(identity, "identity_features"), feature)
          .ifPresent(state -> ((ObjectNode) state.get("feature")).put("type", type));
    }
  }

  String uuid() {
    return UUID.nameUUIDFromBytes(("flagedge-testing:" + nextId()).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  static ArrayNode array(ObjectNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node instanceof ArrayNode array) {
      return array;
    }
    return parent.putArray(field); // absent or null, as old documents have it
  }

  static List<ObjectNode> objects(ArrayNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .filter(ObjectNode.class::isInstance)
        .map(ObjectNode.class::cast)
        .toList();
  }

  /** The largest integer {@code id} or {@code django_id} anywhere in the document. */
  static int maxId(JsonNode node) {
    int max = 0;
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        boolean isId = field.getKey().equals("id") || field.getKey().equals("django_id");
        if (isId && value.canConvertToInt()) {
          max = Math.max(max, value.intValue());
        } else {
          max = Math.max(max, maxId(value));
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode item : array) {
        max = Math.max(max, maxId(item));
      }
    }
    return max;
  }

  /** A flag value as Flagsmith stores it. */
  static JsonNode valueNode(Object value) {
    Objects.requireNonNull(value, "value");
    if (value instanceof String text) {
      return NODES.textNode(text);
    } else if (value instanceof Boolean bool) {
      return NODES.booleanNode(bool);
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return NODES.numberNode(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      return NODES.numberNode(big);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("value must be finite: " + value);
      }
      return NODES.textNode(value.toString());
    } else if (value instanceof BigDecimal decimal) {
      return NODES.textNode(decimal.toPlainString());
    } else if (value instanceof Map || value instanceof List) {
      try {
        return NODES.textNode(JSON.writeValueAsString(value));
      } catch (JacksonException e) {
        throw new IllegalArgumentException("value cannot be written as JSON: " + value, e);
      }
    }
    throw new IllegalArgumentException(
        "value must be a string, boolean, number, map or list: " + value.getClass().getName());
  }

  /** A condition value as documents hold it: always a string. */
  static String conditionText(Object value) {
    Objects.requireNonNull(value, "value");
    if (value instanceof Collection<?> items) {
      try {
        return JSON.writeValueAsString(items); // IN: a JSON array of the accepted values
      } catch (JacksonException e) {
        throw new IllegalArgumentException("value cannot be written as JSON: " + value, e);
      }
    } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new IllegalArgumentException(
        "value must be a string, number, boolean or collection: " + value.getClass().getName());
  }
}
