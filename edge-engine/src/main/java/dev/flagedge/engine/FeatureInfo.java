package dev.flagedge.engine;

/**
 * What every flag of one feature context shares: the feature's name, its id and type for the REST
 * responses ({@code typeText} as the document writes it, {@code type} its enum), and the context's
 * metadata (null when it has none). Compilation shares one instance between all feature contexts
 * with equal infos, so flags stay small.
 */
record FeatureInfo(long id, String typeText, FeatureType type, String name, JsonValue metadata) {
  static final String STANDARD = "STANDARD";

  FeatureInfo(long id, String typeText, String name, JsonValue metadata) {
    this(id, typeText, FeatureType.of(typeText), name, metadata);
  }
}
