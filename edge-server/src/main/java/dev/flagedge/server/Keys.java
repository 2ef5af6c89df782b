package dev.flagedge.server;

/** Keys in logs, health and metrics are shown masked: enough to tell them apart, not to use them. */
final class Keys {
  private Keys() {}

  static String mask(String key) {
    return key.length() <= 8 ? key.substring(0, Math.min(2, key.length())) + "…"
        : key.substring(0, key.startsWith("ser.") ? 8 : 4) + "…";
  }
}
