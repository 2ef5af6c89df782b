package dev.flagedge.engine;

import dev.flagedge.engine.internal.JsonWriter;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The full outcome of an evaluation, in the reference engine's result form: flags by feature name
 * (in feature order) and the matched segments (in segment order).
 */
public final class EvaluationResult {
  private final Map<String, Flag> flags;
  private final List<SegmentMatch> segments;

  EvaluationResult(Map<String, Flag> flags, List<SegmentMatch> segments) {
    this.flags = Collections.unmodifiableMap(flags);
    this.segments = List.copyOf(segments);
  }

  /** Flags by feature name, in feature order. */
  public Map<String, Flag> flags() {
    return flags;
  }

  /** Matched segments, in segment order. */
  public List<SegmentMatch> segments() {
    return segments;
  }

  /**
   * The result as JSON in the reference engine's {@code EvaluationResult} shape: {@code {"flags":
   * {name: {name, enabled, value, reason, variant, metadata?}}, "segments": [{name, metadata?}]}}.
   */
  public String toJson() {
    JsonWriter out = new JsonWriter(128 * (flags.size() + segments.size() + 1));
    out.beginObject().name("flags").beginObject();
    for (Flag flag : flags.values()) {
      out.name(flag.name()).beginObject();
      out.name("name").value(flag.name());
      out.name("enabled").value(flag.enabled());
      out.name("value").rawValue(flag.valueJson());
      out.name("reason").value(flag.reasonText());
      out.name("variant").value(flag.variant().orElse(null));
      metadata(flag.metadataValue(), out);
      out.endObject();
    }
    out.endObject().name("segments").beginArray();
    for (SegmentMatch segment : segments) {
      out.beginObject().name("name").value(segment.name());
      metadata(segment.metadataValue(), out);
      out.endObject();
    }
    return out.endArray().endObject().toString();
  }

  private static void metadata(JsonValue metadata, JsonWriter out) {
    if (metadata != null && !metadata.isEmptyObject()) {
      out.name("metadata").rawValue(metadata.json());
    }
  }

  @Override
  public String toString() {
    return toJson();
  }
}
