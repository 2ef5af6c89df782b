package dev.flagedge.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.flagedge.engine.internal.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a well-formed identity request body in one pass over its tokens, with no tree in between:
 * the path every SDK request takes. Anything unusual — a type the reference would refuse, a missing
 * or repeated member, a limit exceeded, malformed JSON — makes it give up and return {@code null},
 * and {@link IdentityRequest#validate} then produces the reference's exact 422 (or, for the rare
 * body that is valid but unusual, the same request).
 */
final class IdentityRequestReader {
  private static final JsonFactory JSON = new JsonFactory();
  private static final SerializableString IDENTIFIER = new SerializedString("identifier");
  private static final SerializableString TRAITS = new SerializedString("traits");
  private static final SerializableString TRAIT_KEY = new SerializedString("trait_key");
  private static final SerializableString TRAIT_VALUE = new SerializedString("trait_value");

  private IdentityRequestReader() {}

  /** The request, or null when the body needs the full validation. */
  static IdentityRequest read(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      IdentityRequest request = readObject(parser);
      return request != null && parser.nextToken() == null ? request : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static IdentityRequest readObject(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    String identifier = null;
    List<IdentityRequest.Trait> traits = null;
    for (String name = nextName(parser, IDENTIFIER);
        name != null;
        name = nextName(parser, TRAITS)) {
      JsonToken value = parser.nextToken();
      if (name.equals("identifier")) {
        if (identifier != null || value != JsonToken.VALUE_STRING) {
          return null;
        }
        identifier = parser.getText();
      } else if (name.equals("traits")) {
        if (traits != null || value != JsonToken.START_ARRAY) {
          return null;
        }
        traits = readTraits(parser);
        if (traits == null) {
          return null;
        }
      } else {
        parser.skipChildren();
      }
    }
    return identifier == null
        ? null
        : new IdentityRequest(identifier, traits == null ? List.of() : traits);
  }

  private static List<IdentityRequest.Trait> readTraits(JsonParser parser) throws IOException {
    List<IdentityRequest.Trait> traits = new ArrayList<>();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      if (token != JsonToken.START_OBJECT || traits.size() == Limits.MAX_TRAITS) {
        return null;
      }
      IdentityRequest.Trait trait = readTrait(parser);
      if (trait == null) {
        return null;
      }
      traits.add(trait);
    }
    return traits;
  }

  private static IdentityRequest.Trait readTrait(JsonParser parser) throws IOException {
    String key = null;
    IdentityRequest.Trait trait = null;
    for (String name = nextName(parser, TRAIT_KEY);
        name != null;
        name = nextName(parser, TRAIT_VALUE)) {
      JsonToken value = parser.nextToken();
      if (name.equals("trait_key")) {
        if (key != null || value != JsonToken.VALUE_STRING) {
          return null;
        }
        key = parser.getText();
      } else if (name.equals("trait_value")) {
        if (trait != null) {
          return null;
        }
        trait = value(parser, value);
        if (trait == null) {
          return null;
        }
      } else {
        parser.skipChildren();
      }
    }
    return key == null || trait == null
        ? null
        : new IdentityRequest.Trait(key, trait.value(), trait.literal());
  }

  /**
   * The next member's name, or null at the end of the object. SDKs send the members in the same
   * order, so the name expected next is compared as bytes, with no lookup in the parser's table of
   * names.
   */
  private static String nextName(JsonParser parser, SerializableString expected)
      throws IOException {
    if (parser.nextFieldName(expected)) {
      return expected.getValue();
    }
    return parser.currentToken() == JsonToken.FIELD_NAME ? parser.currentName() : null;
  }

  /** The value as a keyless trait, printed as Jackson's tree prints it; null if unusual. */
  private static IdentityRequest.Trait value(JsonParser parser, JsonToken token)
      throws IOException {
    switch (token) {
      case VALUE_STRING -> {
        String text = parser.getText();
        if (text.length() > Limits.MAX_TRAIT_STRING
            && text.codePointCount(0, text.length()) > Limits.MAX_TRAIT_STRING) {
          return null;
        }
        return new IdentityRequest.Trait(null, text, null);
      }
      case VALUE_NUMBER_INT -> {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          return new IdentityRequest.Trait(
              null, parser.getBigIntegerValue(), parser.getBigIntegerValue().toString());
        }
        long value = parser.getLongValue();
        return new IdentityRequest.Trait(null, value, Long.toString(value));
      }
      case VALUE_NUMBER_FLOAT -> {
        double value = parser.getDoubleValue();
        return Double.isFinite(value)
            ? new IdentityRequest.Trait(null, value, JsonWriter.number(value))
            : null;
      }
      case VALUE_TRUE -> {
        return new IdentityRequest.Trait(null, Boolean.TRUE, "true");
      }
      case VALUE_FALSE -> {
        return new IdentityRequest.Trait(null, Boolean.FALSE, "false");
      }
      case VALUE_NULL -> {
        return new IdentityRequest.Trait(null, null, "null");
      }
      default -> {
        return null;
      }
    }
  }
}
