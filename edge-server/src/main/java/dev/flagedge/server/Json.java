package dev.flagedge.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flagedge.engine.internal.JsonWriter;

/**
 * The server's one JSON mapper for what it reads (configuration, request bodies it parses as
 * trees); responses are written by {@link JsonWriter}.
 */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Json() {}
}
