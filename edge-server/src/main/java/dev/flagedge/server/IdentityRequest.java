package dev.flagedge.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagedge.engine.internal.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The body of {@code POST /api/v1/identities/}: {@code {"identifier": str, "traits": [{"trait_key":
 * str, "trait_value": str|int|float|bool|null}]}}, validated like the reference (FastAPI/pydantic)
 * with its 422 error shape. Extra members such as {@code transient} are ignored.
 */
record IdentityRequest(String identifier, List<Trait> traits) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * A trait as sent.
   *
   * @param key the trait key
   * @param value the value for evaluation: String, Boolean, Long, BigInteger, Double or null
   * @param literal the JSON literal echoed for a value that is not a string; null for strings
   */
  record Trait(String key, Object value, String literal) {
    static Trait of(String key, JsonNode value) {
      return new Trait(key, javaValue(value), value.isTextual() ? null : literal(value));
    }

    /** A value that is not a string as the reference echoes it; floats in Python's form. */
    private static String literal(JsonNode value) {
      return value.isFloatingPointNumber()
          ? JsonWriter.number(value.doubleValue())
          : value.toString();
    }

    /** Echoes the value as sent. */
    void writeValue(JsonWriter out) {
      if (literal == null) {
        out.value((String) value);
      } else {
        out.rawValue(literal);
      }
    }
  }

  /** Trait values for evaluation; a repeated key keeps the last value, as in the reference. */
  Map<String, Object> traitValues() {
    if (traits.size() <= TraitList.MAX_SIZE && TraitList.distinctKeys(traits)) {
      return new TraitList(traits);
    }
    Map<String, Object> values = new HashMap<>(traits.size() * 2);
    for (Trait trait : traits) {
      values.put(trait.key(), trait.value());
    }
    return values;
  }

  /**
   * A few traits with distinct keys as a map that is the request's list: the engine reads each
   * trait once, in order, so a hash table built per request would only be garbage.
   */
  private static final class TraitList extends AbstractMap<String, Object> {
    /** Above this, checking that the keys are distinct costs more than the table. */
    static final int MAX_SIZE = 32;

    private final List<Trait> traits;

    TraitList(List<Trait> traits) {
      this.traits = traits;
    }

    static boolean distinctKeys(List<Trait> traits) {
      int[] hashes = new int[traits.size()];
      for (int i = 0; i < hashes.length; i++) {
        String key = traits.get(i).key();
        int hash = key.hashCode();
        for (int j = 0; j < i; j++) {
          if (hashes[j] == hash && traits.get(j).key().equals(key)) {
            return false;
          }
        }
        hashes[i] = hash;
      }
      return true;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
      for (Trait trait : traits) {
        action.accept(trait.key(), trait.value());
      }
    }

    @Override
    public int size() {
      return traits.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          Iterator<Trait> each = traits.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return each.hasNext();
            }

            @Override
            public Entry<String, Object> next() {
              Trait trait = each.next();
              return new SimpleImmutableEntry<>(trait.key(), trait.value());
            }
          };
        }

        @Override
        public int size() {
          return traits.size();
        }
      };
    }
  }

  /**
   * A JSON scalar as the engine takes it: String, Boolean, Long (BigInteger beyond its range),
   * Double; null for anything else.
   */
  static Object javaValue(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    return null;
  }

  /**
   * Parses and validates a request body.
   *
   * @throws ApiException 422 with the reference's error list for an invalid body
   */
  static IdentityRequest parse(byte[] body) {
    IdentityRequest wellFormed = IdentityRequestReader.read(body);
    return wellFormed != null ? wellFormed : validate(body);
  }

  /** The full validation, with every error the reference reports; for bodies the reader refused. */
  static IdentityRequest validate(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      long offset = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getCharOffset());
      throw invalidJson(Math.min(offset, text.length()));
    }
    if (root == null || root.isMissingNode()) {
      throw invalidJson(0);
    }
    List<ObjectNode> errors = new ArrayList<>();
    if (!root.isObject()) {
      errors.add(
          error(
              "model_attributes_type",
              loc("body"),
              "Input should be a valid dictionary or object to extract fields from",
              root));
      throw failure(errors);
    }
    String identifier = identifier(root, errors);
    List<Trait> traits = traits(root.get("traits"), errors);
    if (!errors.isEmpty()) {
      throw failure(errors);
    }
    return new IdentityRequest(identifier, traits);
  }

  private static String identifier(JsonNode root, List<ObjectNode> errors) {
    JsonNode identifier = root.get("identifier");
    if (identifier == null) {
      errors.add(error("missing", loc("body", "identifier"), "Field required", root));
      return null;
    }
    if (!identifier.isTextual()) {
      errors.add(
          error(
              "string_type",
              loc("body", "identifier"),
              "Input should be a valid string",
              identifier));
      return null;
    }
    return identifier.textValue();
  }

  private static List<Trait> traits(JsonNode traits, List<ObjectNode> errors) {
    List<Trait> result = new ArrayList<>();
    if (traits == null) {
      return result;
    }
    if (!traits.isArray()) {
      errors.add(error("list_type", loc("body", "traits"), "Input should be a valid list", traits));
      return result;
    }
    if (traits.size() > Limits.MAX_TRAITS) {
      ObjectNode tooLong =
          error(
              "too_long",
              loc("body", "traits"),
              "List should have at most "
                  + Limits.MAX_TRAITS
                  + " items after validation, not "
                  + traits.size(),
              NODES.nullNode());
      tooLong
          .putObject("ctx")
          .put("field_type", "List")
          .put("max_length", Limits.MAX_TRAITS)
          .put("actual_length", traits.size());
      errors.add(tooLong);
      return result;
    }
    for (int i = 0; i < traits.size(); i++) {
      JsonNode trait = traits.get(i);
      if (!trait.isObject()) {
        errors.add(
            error(
                "model_attributes_type",
                loc("body", "traits", i),
                "Input should be a valid dictionary or object to extract fields from",
                trait));
        continue;
      }
      String key = traitKey(trait, i, errors);
      JsonNode value = traitValue(trait, i, errors);
      if (key != null && value != null) {
        result.add(Trait.of(key, value));
      }
    }
    return result;
  }

  private static String traitKey(JsonNode trait, int i, List<ObjectNode> errors) {
    JsonNode key = trait.get("trait_key");
    if (key == null) {
      errors.add(error("missing", loc("body", "traits", i, "trait_key"), "Field required", trait));
      return null;
    }
    if (!key.isTextual()) {
      errors.add(
          error(
              "string_type",
              loc("body", "traits", i, "trait_key"),
              "Input should be a valid string",
              key));
      return null;
    }
    return key.textValue();
  }

  private static JsonNode traitValue(JsonNode trait, int i, List<ObjectNode> errors) {
    JsonNode value = trait.get("trait_value");
    if (value == null) {
      errors.add(
          error("missing", loc("body", "traits", i, "trait_value"), "Field required", trait));
      return null;
    }
    if (value.isContainerNode()) {
      // pydantic reports one error per member of the str|int|float|bool union.
      errors.add(
          error(
              "string_type",
              loc("body", "traits", i, "trait_value", "str"),
              "Input should be a valid string",
              value));
      errors.add(
          error(
              "int_type",
              loc("body", "traits", i, "trait_value", "int"),
              "Input should be a valid integer",
              value));
      errors.add(
          error(
              "float_type",
              loc("body", "traits", i, "trait_value", "float"),
              "Input should be a valid number",
              value));
      errors.add(
          error(
              "bool_type",
              loc("body", "traits", i, "trait_value", "bool"),
              "Input should be a valid boolean",
              value));
      return null;
    }
    if (value.isTextual()
        && value.textValue().codePointCount(0, value.textValue().length())
            > Limits.MAX_TRAIT_STRING) {
      ObjectNode tooLong =
          error(
              "string_too_long",
              loc("body", "traits", i, "trait_value"),
              "String should have at most " + Limits.MAX_TRAIT_STRING + " characters",
              value);
      tooLong
          .putObject("ctx")
          .put("max_length", Limits.MAX_TRAIT_STRING)
          .put("actual_length", value.textValue().codePointCount(0, value.textValue().length()));
      errors.add(tooLong);
      return null;
    }
    if (value.isNumber() && !value.isIntegralNumber() && !Double.isFinite(value.doubleValue())) {
      errors.add(
          error(
              "finite_number",
              loc("body", "traits", i, "trait_value"),
              "Input should be a finite number",
              value));
      return null;
    }
    return value;
  }

  /** The 422 for a GET without {@code identifier}. */
  static ApiException missingQueryIdentifier() {
    return failure(
        List.of(error("missing", loc("query", "identifier"), "Field required", NODES.nullNode())));
  }

  private static ApiException invalidJson(long position) {
    ObjectNode error =
        error("json_invalid", loc("body", position), "JSON decode error", NODES.objectNode());
    error.putObject("ctx").put("error", "Expecting value");
    return failure(List.of(error));
  }

  private static ArrayNode loc(Object... parts) {
    ArrayNode loc = NODES.arrayNode();
    for (Object part : parts) {
      if (part instanceof String) {
        loc.add((String) part);
      } else {
        loc.add(((Number) part).longValue());
      }
    }
    return loc;
  }

  private static ObjectNode error(String type, ArrayNode loc, String msg, JsonNode input) {
    ObjectNode error = NODES.objectNode();
    error.put("type", type);
    error.set("loc", loc);
    error.put("msg", msg);
    error.set("input", input);
    return error;
  }

  private static ApiException failure(List<ObjectNode> errors) {
    ArrayNode detail = NODES.arrayNode();
    errors.forEach(detail::add);
    return ApiException.validation(detail.toString());
  }
}
