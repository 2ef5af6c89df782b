package dev.flagedge.engine;

import java.util.Map;

/** A segment the evaluated identity (or environment) belongs to. */
public final class SegmentMatch {
  private final String name;
  private final JsonValue metadata;

  SegmentMatch(String name, JsonValue metadata) {
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
    return metadata == null ? Map.of() : (Map<String, Object>) metadata.copy();
  }

  /** The metadata, or null when the segment has none. */
  JsonValue metadataValue() {
    return metadata;
  }

  @Override
  public String toString() {
    return "SegmentMatch{" + name + "}";
  }
}
