package dev.flagedge.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads an environment document from JSON text without building one tree for all of it: the {@code
 * identity_overrides} array (100,000 entries in large environments) is streamed and grouped one
 * identity at a time, while the rest of the document becomes a tree as usual.
 */
final class DocumentReader {
  private static final String WHAT = "environment document";

  /**
   * The document without its identity overrides, and those overrides, grouped. {@code compiled} is
   * the document already compiled, or null: then the document holds all of it, to be compiled.
   */
  record Read(JsonNode document, IdentityOverrides identityOverrides, CompiledContext compiled) {
    CompiledContext compile() {
      return compiled != null ? compiled : DocumentMapper.compile(document, identityOverrides);
    }
  }

  private DocumentReader() {}

  /** Usual documents are read and compiled in one pass; the others are read again, as a tree. */
  static Read read(byte[] json) {
    Read streamed = streamed(() -> Json.MAPPER.createParser(json));
    return streamed != null ? streamed : readInMemory(() -> Json.MAPPER.createParser(json));
  }

  static Read read(String json) {
    Read streamed = streamed(() -> Json.MAPPER.createParser(json));
    return streamed != null ? streamed : readInMemory(() -> Json.MAPPER.createParser(json));
  }

  private static Read streamed(ParserSource source) {
    try {
      return DocumentStream.read(source.open());
    } catch (IOException e) {
      return null;
    }
  }

  static Read read(InputStream json) throws IOException {
    return read(() -> Json.MAPPER.createParser(json));
  }

  /** For text already in memory, where the only I/O failures are parse errors. */
  private static Read readInMemory(ParserSource source) {
    try {
      return read(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Read read(ParserSource source) throws IOException {
    try (JsonParser parser = source.open()) {
      return read(parser);
    } catch (JsonProcessingException e) {
      throw Json.malformed(WHAT, e);
    }
  }

  private interface ParserSource {
    JsonParser open() throws IOException;
  }

  private static Read read(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first != JsonToken.START_OBJECT) {
      throw Json.unexpected(
          "an object", "$", first == null ? null : Json.MEMBER_VALUE.readTree(parser));
    }
    ObjectNode document = Json.MAPPER.createObjectNode();
    IdentityOverrides overrides = new IdentityOverrides();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals(IdentityOverrides.MEMBER) && value == JsonToken.START_ARRAY) {
        overrides = IdentityOverrides.read(parser); // a repeated member replaces the earlier one
        document.remove(name);
      } else {
        document.set(name, Json.MEMBER_VALUE.readTree(parser));
      }
    }
    if (parser.nextToken() != null) {
      throw new DocumentParseException(WHAT + " is not valid JSON: content after the end");
    }
    if (document.has(IdentityOverrides.MEMBER)) {
      overrides = IdentityOverrides.of(document); // present but not an array: null, or an error
    }
    return new Read(document, overrides, null);
  }
}
