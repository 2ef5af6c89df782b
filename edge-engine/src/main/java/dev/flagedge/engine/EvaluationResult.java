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
    StringBuilder sb = new StringBuilder("{\"flags\":{");
    String separator = "";
    for (Flag flag : flags.values()) {
      sb.append(separator);
      sb.append(JsonWriter.quote(flag.name()));
      sb.append(":{\"name\":");
      sb.append(JsonWriter.quote(flag.name()));
      sb.append(",\"enabled\":")
          .append(flag.enabled())
          .append(",\"value\":")
          .append(flag.valueJson());
      sb.append(",\"reason\":");
      sb.append(JsonWriter.quote(flag.reasonText()));
      sb.append(",\"variant\":");
      if (flag.variant().isPresent()) {
        sb.append(JsonWriter.quote(flag.variant().get()));
      } else {
        sb.append("null");
      }
      appendMetadata(flag.metadataValue(), sb);
      sb.append('}');
      separator = ",";
    }
    sb.append("},\"segments\":[");
    separator = "";
    for (SegmentMatch segment : segments) {
      sb.append(separator).append("{\"name\":");
      sb.append(JsonWriter.quote(segment.name()));
      appendMetadata(segment.metadataValue(), sb);
      sb.append('}');
      separator = ",";
    }
    return sb.append("]}").toString();
  }

  private static void appendMetadata(JsonValue metadata, StringBuilder sb) {
    if (metadata != null && !metadata.isEmptyObject()) {
      sb.append(",\"metadata\":").append(metadata.json());
    }
  }

  @Override
  public String toString() {
    return toJson();
  }
}
