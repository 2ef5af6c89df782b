package dev.flagedge.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and compiles an environment document held in memory in one pass over its JSON tokens:
 * feature states (the bulk of a document: the environment's own and every segment override) go from
 * tokens straight to {@link DocumentCompiler.State}s, never becoming a JSON tree. Members the
 * engine does not compile (name, project settings, ...) still become a small tree, for {@link
 * Environment} to read.
 *
 * <p>Only well-formed documents of the usual shape take this path. For anything else — a token of a
 * type the tree path would reject or read differently, a repeated member, malformed JSON, an
 * invalid document — it falls back ({@link FastPath}), and {@link DocumentReader} reads the
 * document again as a tree, which compiles it or reports the error exactly.
 */
final class DocumentStream {

  /** Unusual tokens: thrown without a stack trace, deep in the reading, caught in {@link #read}. */
  private static final class UnusualTokens extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnusualTokens() {
      super(null, null, false, false);
    }
  }

  private static final UnusualTokens UNUSUAL_TOKENS = new UnusualTokens();

  private final JsonParser parser;
  private final DocumentCompiler compiler = new DocumentCompiler();
  private List<DocumentCompiler.State> states;
  private List<DocumentCompiler.SegmentDoc> segments;

  private DocumentStream(JsonParser parser) {
    this.parser = parser;
  }

  /**
   * The document read and compiled, or why the tree path must read it.
   *
   * @param parser a parser over the whole document, in memory; closed here
   */
  static FastPath<DocumentReader.Read> read(JsonParser parser) {
    try (parser) {
      return new DocumentStream(parser).read();
    } catch (UnusualTokens unusual) {
      return FastPath.fellBack(FastPath.Fallback.UNUSUAL_TOKENS);
    } catch (JsonProcessingException | CharConversionException malformed) {
      return FastPath.fellBack(FastPath.Fallback.MALFORMED_JSON);
    } catch (DocumentParseException invalid) {
      return FastPath.fellBack(FastPath.Fallback.INVALID_DOCUMENT);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // text in memory: cannot happen
    }
  }

  private FastPath<DocumentReader.Read> read() throws IOException {
    expect(parser.nextToken() == JsonToken.START_OBJECT);
    ObjectNode document = Json.MAPPER.createObjectNode();
    IdentityOverrides overrides = new IdentityOverrides();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals("feature_states")) {
        expect(states == null && value == JsonToken.START_ARRAY);
        states = states(true);
      } else if (name.equals("project")) {
        expect(!document.has(name) && value == JsonToken.START_OBJECT);
        document.set(name, project());
      } else if (name.equals(IdentityOverrides.MEMBER) && value == JsonToken.START_ARRAY) {
        overrides = IdentityOverrides.read(parser); // a repeated member replaces the earlier one
        document.remove(name);
      } else {
        document.set(name, Json.MEMBER_VALUE.readTree(parser));
      }
    }
    expect(parser.nextToken() == null && !document.has(IdentityOverrides.MEMBER));
    String apiKey = Json.text(document, "api_key", DocumentCompiler.AT);
    Json.textOr(document, "name", DocumentCompiler.AT, "");
    FastPath<CompiledContext> compiled =
        compiler.compile(
            apiKey,
            states == null ? List.of() : states,
            segments == null ? List.of() : segments,
            overrides);
    return compiled.fellBack()
        ? FastPath.fellBack(compiled.fallback())
        : FastPath.took(new DocumentReader.Read(document, compiled.result(), List.of()));
  }

  private static void expect(boolean usualTokens) {
    if (!usualTokens) {
      throw UNUSUAL_TOKENS;
    }
  }

  /** The project's members as a tree, except its segments, which are read. */
  private ObjectNode project() throws IOException {
    ObjectNode project = Json.MAPPER.createObjectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals("segments")) {
        expect(segments == null && value == JsonToken.START_ARRAY);
        segments = new ArrayList<>();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          segments.add(segment());
        }
        expect(parser.currentToken() == JsonToken.END_ARRAY);
      } else {
        project.set(name, Json.MEMBER_VALUE.readTree(parser));
      }
    }
    return project;
  }

  private DocumentCompiler.SegmentDoc segment() throws IOException {
    JsonNode id = null;
    JsonNode name = null;
    JsonNode rules = null;
    List<DocumentCompiler.State> overrides = List.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String member = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (member) {
        case "id":
          id = Json.MEMBER_VALUE.readTree(parser);
          break;
        case "name":
          name = Json.MEMBER_VALUE.readTree(parser);
          break;
        case "rules":
          expect(value == JsonToken.START_ARRAY);
          rules = Json.MEMBER_VALUE.readTree(parser);
          break;
        case "feature_states":
          expect(value == JsonToken.START_ARRAY);
          overrides = states(false);
          break;
        default:
          parser.skipChildren();
      }
    }
    String at = DocumentCompiler.AT;
    return new DocumentCompiler.SegmentDoc(
        Json.textValueOr(id, at, ""),
        Json.textValueOr(name, at, ""),
        id,
        rules == null ? Json.MAPPER.createArrayNode() : rules,
        overrides);
  }

  /** The feature states of an array whose start was just read. */
  private List<DocumentCompiler.State> states(boolean readType) throws IOException {
    List<DocumentCompiler.State> read = new ArrayList<>();
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      read.add(state(readType));
    }
    expect(parser.currentToken() == JsonToken.END_ARRAY);
    return read;
  }

  /** Feature state members, as in a tree: absent and null alike, a repeated member replaces. */
  private DocumentCompiler.State state(boolean readType) throws IOException {
    String name = null;
    boolean hasId = false;
    long id = 0;
    String type = FeatureInfo.STANDARD;
    boolean enabled = false;
    JsonValue value = JsonValue.NULL;
    long djangoId = 0;
    String uuid = "None";
    double priority = Double.POSITIVE_INFINITY;
    List<Variant> variants = List.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String member = parser.currentName();
      JsonToken token = parser.nextToken();
      switch (member) {
        case "feature":
          expect(token == JsonToken.START_OBJECT);
          name = null;
          hasId = false;
          type = FeatureInfo.STANDARD;
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken fieldToken = parser.nextToken();
            if (field.equals("id")) {
              id = longValue(fieldToken);
              hasId = true;
            } else if (field.equals("name")) {
              expect(fieldToken == JsonToken.VALUE_STRING);
              name = parser.getText();
            } else if (field.equals("type")) {
              expect(fieldToken == JsonToken.VALUE_STRING || fieldToken == JsonToken.VALUE_NULL);
              type = fieldToken == JsonToken.VALUE_NULL ? FeatureInfo.STANDARD : parser.getText();
            } else {
              parser.skipChildren();
            }
          }
          break;
        case "enabled":
          expect(
              token == JsonToken.VALUE_TRUE
                  || token == JsonToken.VALUE_FALSE
                  || token == JsonToken.VALUE_NULL);
          enabled = token == JsonToken.VALUE_TRUE;
          break;
        case "feature_state_value":
          value = value(token);
          break;
        case "django_id":
          djangoId = token == JsonToken.VALUE_NULL ? 0 : longValue(token);
          break;
        case "featurestate_uuid":
          expect(token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NULL);
          if (token == JsonToken.VALUE_NULL) {
            uuid = "None";
          } else if (djangoId != 0) {
            // Keys the state only without a django_id, which Flagsmith writes first: the usual
            // state never needs the text (one string per state, ~800 per heavy document).
            uuid = null;
          } else {
            uuid = parser.getText();
          }
          break;
        case "feature_segment":
          priority = featureSegmentPriority(token);
          break;
        case "multivariate_feature_state_values":
          expect(token == JsonToken.START_ARRAY || token == JsonToken.VALUE_NULL);
          variants = token == JsonToken.VALUE_NULL ? List.of() : variants();
          break;
        default:
          parser.skipChildren();
      }
    }
    // A repeated django_id can take the key back after the uuid was skipped: the tree path reads
    // it.
    expect(hasId && name != null && (uuid != null || djangoId != 0));
    boolean split = !variants.isEmpty();
    String key = djangoId != 0 ? (split ? Long.toString(djangoId) : null) : uuid;
    return new DocumentCompiler.State(
        name, id, null, readType ? type : null, enabled, value, key, variants, priority);
  }

  /**
   * The variants of a {@code multivariate_feature_state_values} array whose start was just read.
   */
  private List<Variant> variants() throws IOException {
    List<Variant> variants = null;
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      if (variants == null) {
        variants = new ArrayList<>(4);
      }
      variants.add(variant());
    }
    expect(parser.currentToken() == JsonToken.END_ARRAY);
    if (variants == null) {
      return List.of();
    }
    Variant.sort(variants);
    return variants;
  }

  private Variant variant() throws IOException {
    long id = 0;
    String uuid = null;
    Object weight = null;
    boolean hasOption = false;
    JsonValue value = JsonValue.NULL;
    String key = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String member = parser.currentName();
      JsonToken token = parser.nextToken();
      switch (member) {
        case "id":
          id = token == JsonToken.VALUE_NULL ? 0 : longValue(token);
          break;
        case "mv_fs_value_uuid":
          expect(token == JsonToken.VALUE_STRING);
          uuid = parser.getText();
          break;
        case "percentage_allocation":
          weight =
              token == JsonToken.VALUE_NUMBER_FLOAT
                  ? (Object) parser.getDoubleValue()
                  : (Object) longValue(token);
          break;
        case "multivariate_feature_option":
          expect(token == JsonToken.START_OBJECT);
          hasOption = true;
          value = JsonValue.NULL;
          key = null;
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken fieldToken = parser.nextToken();
            if (field.equals("value")) {
              value = value(fieldToken);
            } else if (field.equals("key")) {
              expect(fieldToken == JsonToken.VALUE_STRING || fieldToken == JsonToken.VALUE_NULL);
              key = fieldToken == JsonToken.VALUE_NULL ? null : parser.getText();
            } else {
              parser.skipChildren();
            }
          }
          break;
        default:
          parser.skipChildren();
      }
    }
    expect(hasOption && weight != null && (id != 0 || uuid != null));
    BigDecimal order =
        id != 0 ? BigDecimal.valueOf(id) : new BigDecimal(DocumentMapper.uuidAsInteger(uuid));
    return compiler.parts().variant(value, weight, order, key);
  }

  /** An integer token within the long range. */
  private long longValue(JsonToken token) throws IOException {
    expect(token == JsonToken.VALUE_NUMBER_INT);
    JsonParser.NumberType type = parser.getNumberType();
    expect(type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG);
    return parser.getLongValue();
  }

  private double featureSegmentPriority(JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return Double.POSITIVE_INFINITY;
    }
    expect(token == JsonToken.START_OBJECT);
    double priority = Double.POSITIVE_INFINITY;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      JsonToken value = parser.nextToken();
      if (parser.currentName().equals("priority")) {
        priority = value == JsonToken.VALUE_NULL ? Double.POSITIVE_INFINITY : longValue(value);
      } else {
        parser.skipChildren();
      }
    }
    return priority;
  }

  private JsonValue value(JsonToken token) throws IOException {
    PartPool pool = compiler.parts();
    switch (token) {
      case VALUE_STRING:
        return pool.text(parser.getText());
      case VALUE_TRUE:
        return pool.bool(true);
      case VALUE_FALSE:
        return pool.bool(false);
      case VALUE_NULL:
        return JsonValue.NULL;
      case VALUE_NUMBER_INT:
        JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
          return pool.integer(parser.getLongValue());
        }
        return pool.value(Json.MEMBER_VALUE.readTree(parser));
      default:
        return pool.value(Json.MEMBER_VALUE.readTree(parser));
    }
  }
}
