package dev.flagedge.sync.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The sync's one JSON mapper: thread-safe, configured once. Here rather than in {@code
 * dev.flagedge.sync} because both of the module's packages use it ({@link FlagValues} with a reader
 * derived from it). Of the modules this package is exported to, the server has its own mapper and
 * the OpenFeature provider needs none.
 */
public final class Json {
  /**
   * Numbers keep their exact text (big decimals), so merging document pages never rounds a value;
   * trailing content after the JSON value is an error.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}
}
