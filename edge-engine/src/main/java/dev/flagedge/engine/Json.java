package dev.flagedge.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The JSON parse boundary: reading documents, and typed access to members that names the JSON path
 * and the offending value in every error.
 */
final class Json {
  /** The engine's one mapper: thread-safe, configured once; the readers below derive from it. */
  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** Python's json.loads also accepts NaN and Infinity; IN lists are parsed with it. */
  static final ObjectReader LENIENT_NUMBERS =
      MAPPER.reader().with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);

  /**
   * Reads one member's value from a stream that goes on after it, so trailing tokens are expected.
   */
  static final ObjectReader MEMBER_VALUE =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final int MAX_VALUE_IN_MESSAGE = 80;

  private Json() {}

  static JsonNode parse(String json, String what) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw malformed(what, e);
    }
  }

  static DocumentParseException malformed(String what, IOException e) {
    String detail =
        e instanceof JsonProcessingException
            ? ((JsonProcessingException) e).getOriginalMessage()
            : e.getMessage();
    return new DocumentParseException(what + " is not valid JSON: " + detail, e);
  }

  static JsonNode requireObject(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw unexpected("an object", path, node);
    }
    return node;
  }

  /** A member that must be present and a string. */
  static String text(JsonNode parent, String name, String path) {
    JsonNode node = parent.get(name);
    if (node == null || !node.isTextual()) {
      throw unexpected("a string", path + "." + name, node);
    }
    return node.textValue();
  }

  /** A string member that may be absent or null, or a number standing in for a string key. */
  static String textOr(JsonNode parent, String name, String path, String absent) {
    return textValueOr(parent.get(name), path + "." + name, absent);
  }

  /** A value read as {@link #textOr} reads a member's value. */
  static String textValueOr(JsonNode node, String path, String absent) {
    if (node == null || node.isNull()) {
      return absent;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isNumber()) {
      return Values.pyStr(Values.fromJson(node));
    }
    throw unexpected("a string", path, node);
  }

  static boolean bool(JsonNode parent, String name, String path, boolean absent) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return absent;
    }
    if (!node.isBoolean()) {
      throw unexpected("a boolean", path + "." + name, node);
    }
    return node.booleanValue();
  }

  /** An array member; absent or null reads as empty. */
  static JsonNode array(JsonNode parent, String name, String path) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return MAPPER.createArrayNode();
    }
    if (!node.isArray()) {
      throw unexpected("an array", path + "." + name, node);
    }
    return node;
  }

  /** An object member; absent or null reads as empty. */
  static JsonNode object(JsonNode parent, String name, String path) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return MAPPER.createObjectNode();
    }
    if (!node.isObject()) {
      throw unexpected("an object", path + "." + name, node);
    }
    return node;
  }

  static DocumentParseException unexpected(String expected, String path, JsonNode found) {
    String shown = found == null ? "nothing" : found.toString();
    if (shown.length() > MAX_VALUE_IN_MESSAGE) {
      shown = shown.substring(0, MAX_VALUE_IN_MESSAGE) + "...";
    }
    return new DocumentParseException("expected " + expected + " at " + path + ", found " + shown);
  }

  /** A JSONPath-style member step, quoting names that are not plain identifiers. */
  static String member(String path, String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*")
        ? path + "." + name
        : path + "['" + name.replace("'", "\\'") + "']";
  }
}
