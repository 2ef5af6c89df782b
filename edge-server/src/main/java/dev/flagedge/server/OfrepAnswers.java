package dev.flagedge.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagedge.engine.Flag;
import dev.flagedge.engine.internal.FlagSlot;
import dev.flagedge.engine.internal.JsonWriter;
import dev.flagedge.sync.LoadedEnvironment;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One document's flags in OpenFeature's remote evaluation protocol (OFREP). Each evaluated flag
 * becomes {@code {"key", "value", "reason", "variant", "metadata"}}:
 *
 * <ul>
 *   <li>a flag without a value is a boolean flag: its value is whether it is enabled;
 *   <li>a disabled flag with a value has no {@code value} — the caller's default applies;
 *   <li>the reason is {@code DISABLED}, or {@code STATIC} for the environment's default, {@code
 *       TARGETING_MATCH} for a segment or identity override, {@code SPLIT} for a multivariate
 *       option chosen by the identity's hash, whose {@code variant} is the option's id;
 *   <li>{@code metadata} is always there: the feature's id, and the segment of a targeting match.
 * </ul>
 *
 * Flags are shared engine objects, so each one's answer is written once and reused.
 */
final class OfrepAnswers {
  private final LoadedEnvironment loaded;

  /** Each flag's answer, kept on the flag: flags are shared engine objects of one document. */
  private static final FlagSlot ANSWER = FlagSlot.take();

  private volatile Map<String, Map<String, String>> optionIds;

  OfrepAnswers(LoadedEnvironment loaded) {
    this.loaded = loaded;
  }

  /** A flag's answer as JSON. */
  byte[] answer(Flag flag) {
    return ANSWER.get(flag, this::write);
  }

  private byte[] write(Flag flag) {
    JsonWriter out = new JsonWriter(128 + flag.name().length() + flag.valueJson().length());
    out.beginObject().name("key").value(flag.name());
    boolean hasValue = !flag.valueJson().equals("null");
    if (!hasValue) {
      out.name("value").value(flag.enabled());
    } else if (flag.enabled()) {
      out.name("value").rawValue(flag.valueJson());
    }
    out.name("reason").value(reason(flag));
    if (flag.enabled() && flag.reason() == Flag.Reason.SPLIT) {
      optionId(flag).ifPresent(id -> out.name("variant").value(id));
    }
    out.name("metadata").beginObject().name("featureId").value(flag.featureId());
    flag.segmentName().ifPresent(segment -> out.name("segment").value(segment));
    return out.endObject().endObject().toByteArray();
  }

  private static String reason(Flag flag) {
    if (!flag.enabled()) {
      return "DISABLED";
    }
    switch (flag.reason()) {
      case TARGETING_MATCH:
        return "TARGETING_MATCH";
      case SPLIT:
        return "SPLIT";
      default:
        return "STATIC";
    }
  }

  /**
   * The id of the multivariate option a split chose, found by the feature and the option's value in
   * the document (the engine keeps options by value, weight and order only).
   */
  private Optional<String> optionId(Flag flag) {
    Map<String, String> byValue = optionIds().get(flag.name());
    return byValue == null
        ? Optional.empty()
        : Optional.ofNullable(byValue.get(valueKey(flag.value().orElse(null))));
  }

  private Map<String, Map<String, String>> optionIds() {
    Map<String, Map<String, String>> ids = optionIds;
    if (ids == null) {
      ids = readOptionIds();
      optionIds = ids;
    }
    return ids;
  }

  /** Option ids by feature name and value key, from every feature state in the document. */
  private Map<String, Map<String, String>> readOptionIds() {
    Map<String, Map<String, String>> ids = new HashMap<>();
    try {
      JsonNode document = Json.MAPPER.readTree(loaded.documentJson());
      addOptions(document.path("feature_states"), ids);
      for (JsonNode segment : document.path("project").path("segments")) {
        addOptions(segment.path("feature_states"), ids);
      }
    } catch (IOException e) {
      // A served document was parsed before: unreachable, and variants are optional anyway.
    }
    return ids;
  }

  private static void addOptions(JsonNode featureStates, Map<String, Map<String, String>> ids) {
    for (JsonNode state : featureStates) {
      String feature = state.path("feature").path("name").asText(null);
      for (JsonNode value : state.path("multivariate_feature_state_values")) {
        JsonNode option = value.path("multivariate_feature_option");
        JsonNode id = option.path("id");
        if (feature != null && (id.isIntegralNumber() || id.isTextual())) {
          ids.computeIfAbsent(feature, f -> new HashMap<>())
              .putIfAbsent(valueKey(IdentityRequest.javaValue(option.path("value"))), id.asText());
        }
      }
    }
  }

  /**
   * A value's identity across its Java forms: the engine gives a Long where Jackson a BigInteger.
   */
  private static String valueKey(Object value) {
    if (value instanceof String text) {
      return "s" + text;
    }
    if (value instanceof Long number) {
      return "i" + number;
    }
    if (value instanceof BigInteger number) {
      return "i" + number;
    }
    if (value instanceof Double number) {
      return "f" + number;
    }
    return value == null ? "n" : "o" + value;
  }
}
