package dev.flagedge.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A segment the evaluated identity (or environment) belongs to. */
public final class SegmentMatch {
  private final String name;
  private final JsonNode metadata;

  SegmentMatch(String name, JsonNode metadata) {
    this.name = name;
    this.metadata = metadata;
  }

  /** The segment name ({@code "identity_overrides"} for identity overrides). */
  public String name() {
    return name;
  }

  /** The segment metadata, empty when it has none. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> metadata() {
    return metadata == null ? Map.of() : (Map<String, Object>) Values.fromJson(metadata);
  }

  JsonNode metadataNode() {
    return metadata;
  }

  @Override
  public String toString() {
    return "SegmentMatch{" + name + "}";
  }
}
