package dev.flagedge.openfeature;

import dev.flagedge.engine.Flag;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import java.util.function.Function;

/**
 * Turns an evaluated Flagsmith flag into an OpenFeature evaluation of the requested type. Booleans
 * are the feature's enabled state; every other type is the feature's value, converted by {@link
 * OpenFeatureValues}. Immutable and thread-safe.
 */
final class FlagResolver {
  /** Flag metadata key of the Flagsmith reason text, such as {@code TARGETING_MATCH; segment=x}. */
  static final String FLAGSMITH_REASON = "flagsmithReason";

  /** Flag metadata key of the Flagsmith feature id (a long). */
  static final String FEATURE_ID = "featureId";

  /**
   * Flag metadata key of the Flagsmith feature type as the document writes it: {@code STANDARD} or
   * {@code MULTIVARIATE}.
   */
  static final String FEATURE_TYPE = "featureType";

  private static final ImmutableMetadata NO_METADATA = ImmutableMetadata.builder().build();

  private final boolean returnValueForDisabledFlags;

  FlagResolver(boolean returnValueForDisabledFlags) {
    this.returnValueForDisabledFlags = returnValueForDisabledFlags;
  }

  ProviderEvaluation<Boolean> booleanValue(Flag flag) {
    return success(flag, flag.enabled(), reason(flag.reason()), true);
  }

  /**
   * The flag's value as the requested type. A disabled flag gives reason {@code DISABLED}: with its
   * value when {@code returnValueForDisabledFlags} is set and it has one, else with the default.
   */
  <T> ProviderEvaluation<T> typedValue(
      Flag flag, T defaultValue, Function<Object, Converted<T>> converter) {
    Object raw = flag.value().orElse(null);
    if (!flag.enabled() && (raw == null || !returnValueForDisabledFlags)) {
      return success(flag, defaultValue, Reason.DISABLED.name(), false);
    }
    if (raw == null) {
      return error(defaultValue, ErrorCode.TYPE_MISMATCH, "flag " + flag.name() + " has no value");
    }
    Converted<T> converted = converter.apply(raw);
    if (converted.error() != null) {
      return error(
          defaultValue, converted.error(), "flag " + flag.name() + ": " + converted.message());
    }
    String reason = flag.enabled() ? reason(flag.reason()) : Reason.DISABLED.name();
    return success(flag, converted.value(), reason, true);
  }

  /** The OpenFeature reason for a Flagsmith reason. */
  static String reason(Flag.Reason flagsmithReason) {
    switch (flagsmithReason) {
      case DEFAULT:
        return Reason.DEFAULT.name();
      case TARGETING_MATCH:
        return Reason.TARGETING_MATCH.name();
      case SPLIT:
        return Reason.SPLIT.name();
      default:
        return Reason.UNKNOWN.name();
    }
  }

  static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message) {
    return ProviderEvaluation.<T>builder()
        .value(defaultValue)
        .reason(Reason.ERROR.name())
        .errorCode(code)
        .errorMessage(message)
        .flagMetadata(NO_METADATA)
        .build();
  }

  private static <T> ProviderEvaluation<T> success(
      Flag flag, T value, String reason, boolean withVariant) {
    ImmutableMetadata metadata =
        ImmutableMetadata.builder()
            .addString(FLAGSMITH_REASON, flag.reasonText())
            .addLong(FEATURE_ID, flag.featureId())
            .addString(FEATURE_TYPE, flag.typeText())
            .build();
    return ProviderEvaluation.<T>builder()
        .value(value)
        .reason(reason)
        .variant(withVariant ? flag.variant().orElse(null) : null)
        .flagMetadata(metadata)
        .build();
  }
}
