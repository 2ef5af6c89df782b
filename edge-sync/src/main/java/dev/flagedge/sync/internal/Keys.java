package dev.flagedge.sync.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Environment keys in logs, health reports, metrics and file names: masked or hashed, never written
 * out in full. The one masking rule of FlagEdge, shared by the server.
 */
public final class Keys {
  private static final Pattern SAFE_FILE_STEM =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");

  // One digest per thread: OFREP's entity tags take one per request, and getInstance costs more
  // than the digest of a small body. digest() resets it for the next call.
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(Keys::newSha256);

  private Keys() {}

  /**
   * The key masked: enough to tell keys apart in a report, not to use one. Keys of up to 8
   * characters show at most their first 2 (and never more than half); longer keys their first 4,
   * after the {@code ser.} prefix for server-side keys, which by itself tells nothing.
   *
   * @param key an environment, server-side, proxy or token key
   * @return the masked key, ending in {@code …}
   */
  public static String mask(String key) {
    if (key.length() <= 8) {
      return key.substring(0, Math.min(2, key.length() / 2)) + "…";
    }
    return key.substring(0, key.startsWith("ser.") ? 8 : 4) + "…";
  }

  /**
   * A file-name stem for a client key: the key itself when it is short and plain, otherwise a hash.
   * Never the key of a server-side ({@code ser.}) environment.
   */
  public static String fileStem(String clientKey) {
    if (SAFE_FILE_STEM.matcher(clientKey).matches() && !clientKey.startsWith("ser.")) {
      return clientKey;
    }
    return "key-" + sha256Hex(clientKey.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
  }

  /**
   * The lowercase hex SHA-256 of the bytes.
   *
   * @param bytes the bytes
   * @return 64 hex digits
   */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256(bytes));
  }

  /**
   * The SHA-256 of the bytes, with this thread's digest.
   *
   * @param bytes the bytes
   * @return the 32-byte digest
   */
  public static byte[] sha256(byte[] bytes) {
    return SHA_256.get().digest(bytes);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
