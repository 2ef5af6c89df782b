package dev.flagedge.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Environment keys in logs, messages and file names: masked, hashed, never written out in full. */
final class Keys {
  private static final Pattern SAFE_FILE_STEM =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");

  private Keys() {}

  /** The key's first 4 characters (fewer for keys of up to 8 characters) and an ellipsis. */
  static String mask(String key) {
    return key.substring(0, Math.min(4, key.length() / 2)) + "…";
  }

  /**
   * A file-name stem for a client key: the key itself when it is short and plain, otherwise a hash.
   * Never the key of a server-side ({@code ser.}) environment.
   */
  static String fileStem(String clientKey) {
    if (SAFE_FILE_STEM.matcher(clientKey).matches() && !clientKey.startsWith("ser.")) {
      return clientKey;
    }
    return "key-" + sha256Hex(clientKey.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
  }

  /** The lowercase hex SHA-256 of the bytes. */
  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
