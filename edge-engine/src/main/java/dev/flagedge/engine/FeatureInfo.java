package dev.flagedge.engine;

/** What the REST responses say about a feature beyond its flag: its id and type. */
record FeatureInfo(long id, String type) {
  static final String STANDARD = "STANDARD";
  static final FeatureInfo UNKNOWN = new FeatureInfo(0, STANDARD);
}
