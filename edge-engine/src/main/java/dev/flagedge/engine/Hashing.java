package dev.flagedge.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The reference engine's percentage hash: MD5 of the comma-joined ids, taken modulo 9999 and scaled
 * to [0, 100). The arithmetic is done in doubles in exactly the reference order so boundary cases
 * agree.
 */
final class Hashing {
  private static final MessageDigest MD5_PROTOTYPE = newMd5();

  private Hashing() {}

  /** Percentage in [0, 100) for the two ids, already stringified Python-style. */
  static double percentage(String first, String second) {
    String joined = first + "," + second;
    for (int iterations = 1; ; iterations++) {
      int remainder = md5Mod9999(iterations == 1 ? joined : repeat(joined, iterations));
      // remainder 9998 would give exactly 100, outside the range: the reference re-hashes with the
      // ids
      // repeated, which happens for about one key pair in 9999.
      if (remainder != 9998) {
        return ((double) remainder / 9998.0) * 100.0;
      }
    }
  }

  private static String repeat(String joined, int times) {
    StringBuilder sb = new StringBuilder(joined.length() * times + times);
    for (int i = 0; i < times; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(joined);
    }
    return sb.toString();
  }

  private static int md5Mod9999(String text) {
    byte[] digest = md5().digest(text.getBytes(StandardCharsets.UTF_8));
    int remainder = 0;
    for (byte b : digest) {
      remainder = (remainder * 256 + (b & 0xff)) % 9999;
    }
    return remainder;
  }

  private static MessageDigest md5() {
    try {
      return (MessageDigest) MD5_PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newMd5();
    }
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java platform", e);
    }
  }
}
