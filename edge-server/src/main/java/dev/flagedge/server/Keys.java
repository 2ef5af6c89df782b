package dev.flagedge.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keys in logs, health and metrics are shown masked: enough to tell them apart, not to use them.
 */
final class Keys {
  private Keys() {}

  static String mask(String key) {
    return key.length() <= 8
        ? key.substring(0, Math.min(2, key.length())) + "…"
        : key.substring(0, key.startsWith("ser.") ? 8 : 4) + "…";
  }

  /**
   * A metric label for an environment: the masked key and the start of its SHA-256, so that keys
   * sharing a prefix stay apart (a registry refuses two series with the same labels) while nothing
   * of the rest of the key shows.
   */
  static String label(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return mask(key) + HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
