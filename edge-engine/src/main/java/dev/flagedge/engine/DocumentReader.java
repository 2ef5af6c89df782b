package dev.flagedge.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and compiles an environment document by the fastest path that handles it: {@link
 * DocumentStream} in one pass over the tokens of text in memory; else a tree, with the {@code
 * identity_overrides} array (100,000 entries in large environments) streamed and grouped one
 * identity at a time, compiled directly ({@link DocumentCompiler}); else the reference mapping
 * ({@link DocumentMapper}), which also reports the errors of invalid documents.
 */
final class DocumentReader {
  private static final String WHAT = "environment document";

  /**
   * A document compiled, with its members besides the identity overrides (for {@link Environment}
   * to read), and the fast paths it fell back from, in order: none for a usual document.
   */
  record Read(JsonNode document, CompiledContext compiled, List<FastPath.Fallback> fallbacks) {}

  private DocumentReader() {}

  static Read read(byte[] json) {
    return readInMemory(() -> Json.MAPPER.createParser(json));
  }

  static Read read(String json) {
    return readInMemory(() -> Json.MAPPER.createParser(json));
  }

  /** A stream cannot be read twice: its documents take the tree path at once. */
  static Read read(InputStream json) throws IOException {
    return readTree(() -> Json.MAPPER.createParser(json), List.of());
  }

  /**
   * The tree path: the direct compile, or the reference mapping where it falls back.
   *
   * @param document the document; its {@code identity_overrides} member is not read
   * @param identityOverrides the document's identity overrides, already grouped
   * @param fallbacks the paths tried before, which fell back
   */
  static Read compile(
      JsonNode document, IdentityOverrides identityOverrides, List<FastPath.Fallback> fallbacks) {
    FastPath<CompiledContext> direct = DocumentCompiler.compile(document, identityOverrides);
    if (!direct.fellBack()) {
      return new Read(document, direct.result(), fallbacks);
    }
    List<FastPath.Fallback> all = new ArrayList<>(fallbacks);
    all.add(direct.fallback());
    return new Read(
        document, DocumentMapper.mapAndCompile(document, identityOverrides), List.copyOf(all));
  }

  /** Usual documents are read and compiled in one pass; the others are read again, as a tree. */
  private static Read readInMemory(ParserSource source) {
    FastPath<Read> streamed;
    try {
      streamed = DocumentStream.read(source.open());
    } catch (IOException unreadable) {
      streamed = FastPath.fellBack(FastPath.Fallback.MALFORMED_JSON); // reported by the tree reader
    }
    if (!streamed.fellBack()) {
      return streamed.result();
    }
    try {
      return readTree(source, List.of(streamed.fallback()));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // text in memory: cannot happen
    }
  }

  private static Read readTree(ParserSource source, List<FastPath.Fallback> fallbacks)
      throws IOException {
    try (JsonParser parser = source.open()) {
      return readTree(parser, fallbacks);
    } catch (JsonProcessingException | CharConversionException e) {
      // CharConversionException: bytes in no encoding JSON allows, which is no I/O failure
      throw Json.malformed(WHAT, e);
    }
  }

  private interface ParserSource {
    JsonParser open() throws IOException;
  }

  private static Read readTree(JsonParser parser, List<FastPath.Fallback> fallbacks)
      throws IOException {
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
    return compile(document, overrides, fallbacks);
  }
}
