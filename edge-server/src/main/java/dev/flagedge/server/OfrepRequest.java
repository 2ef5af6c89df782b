package dev.flagedge.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The body of an OFREP evaluation, {@code {"context": {"targetingKey": str, <attribute>: <value>,
 * …}}}, read in one pass over its tokens. The targeting key is the identity's identifier; every
 * other attribute is a trait, a string, number or boolean (a null attribute is left out, as an
 * absent trait). An empty body, or one without {@code context}, evaluates the environment.
 *
 * @param targetingKey the identifier; empty when absent or blank (the environment's flags)
 * @param traits trait values for evaluation: String, Boolean, Long, BigInteger or Double
 */
record OfrepRequest(Optional<String> targetingKey, Map<String, Object> traits) {
  private static final JsonFactory JSON = new JsonFactory();
  private static final OfrepRequest ENVIRONMENT = new OfrepRequest(Optional.empty(), Map.of());

  /**
   * Parses and validates a request body.
   *
   * @throws ApiException 400 {@code PARSE_ERROR} for malformed JSON, 400 {@code INVALID_CONTEXT}
   *     for a context that is not an object, an attribute that is an object or an array, a
   *     targeting key that is not a string, or a limit exceeded
   */
  static OfrepRequest parse(byte[] body) {
    if (body.length == 0) {
      return ENVIRONMENT;
    }
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw ApiException.ofrep(400, "PARSE_ERROR", "the body must be a JSON object");
      }
      OfrepRequest request = ENVIRONMENT;
      for (JsonToken token = parser.nextToken();
          token == JsonToken.FIELD_NAME;
          token = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("context")) {
          request = context(parser, value);
        } else {
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw ApiException.ofrep(400, "PARSE_ERROR", "unexpected content after the JSON object");
      }
      return request;
    } catch (JsonProcessingException e) {
      throw ApiException.ofrep(400, "PARSE_ERROR", "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.ofrep(400, "PARSE_ERROR", "unreadable body");
    }
  }

  private static OfrepRequest context(JsonParser parser, JsonToken start) throws IOException {
    if (start == JsonToken.VALUE_NULL) {
      return ENVIRONMENT;
    }
    if (start != JsonToken.START_OBJECT) {
      throw invalid("context must be an object");
    }
    String targetingKey = null;
    Map<String, Object> traits = new HashMap<>();
    for (JsonToken token = parser.nextToken();
        token == JsonToken.FIELD_NAME;
        token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals("targetingKey")) {
        if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
          throw invalid("targetingKey must be a string");
        }
        targetingKey = value == JsonToken.VALUE_NULL ? null : limited(parser.getText(), name);
        continue;
      }
      Object trait = traitValue(parser, value, name);
      if (trait == null) {
        continue;
      }
      if (traits.size() == Limits.MAX_TRAITS && !traits.containsKey(name)) {
        throw invalid("more than " + Limits.MAX_TRAITS + " context attributes");
      }
      traits.put(limited(name, "an attribute name"), trait);
    }
    Optional<String> identifier =
        targetingKey == null || targetingKey.isBlank()
            ? Optional.empty()
            : Optional.of(targetingKey);
    // Not copied: built here, never changed, handed only to the engine.
    return new OfrepRequest(identifier, Collections.unmodifiableMap(traits));
  }

  /** A trait value, or null for an attribute that is null (left out). */
  private static Object traitValue(JsonParser parser, JsonToken value, String name)
      throws IOException {
    switch (value) {
      case VALUE_STRING:
        return limited(parser.getText(), "attribute '" + name + "'");
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_NULL:
        return null;
      default:
        throw invalid(
            "attribute '" + name + "' must be a string, number or boolean, not an object or array");
    }
  }

  private static String limited(String text, String what) {
    if (text.length() > Limits.MAX_TRAIT_STRING
        && text.codePointCount(0, text.length()) > Limits.MAX_TRAIT_STRING) {
      throw invalid(what + " is longer than " + Limits.MAX_TRAIT_STRING + " characters");
    }
    return text;
  }

  private static ApiException invalid(String details) {
    return ApiException.ofrep(400, "INVALID_CONTEXT", details);
  }
}
