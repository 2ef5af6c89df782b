package dev.flagedge.engine;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The reference engine's percentage hash: MD5 of the comma-joined ids, taken modulo 9999 and scaled
 * to [0, 100). The arithmetic is done in doubles in exactly the reference order so boundary cases
 * agree.
 *
 * <p>Every multivariate flag of an identity hashes, so this runs several times per request: each
 * thread keeps one digest and its buffers, and the ids are written into them without an
 * intermediate string.
 */
final class Hashing {
  private static final ThreadLocal<Md5> MD5 = ThreadLocal.withInitial(Md5::new);

  private Hashing() {}

  /** Percentage in [0, 100) for the two ids, already stringified Python-style. */
  static double percentage(String first, String second) {
    Md5 md5 = MD5.get();
    for (int times = 1; ; times++) {
      int remainder = md5.mod9999(first, second, times);
      // remainder 9998 would give exactly 100, outside the range: the reference re-hashes with the
      // ids repeated, which happens for about one key pair in 9999.
      if (remainder != 9998) {
        return ((double) remainder / 9998.0) * 100.0;
      }
    }
  }

  /** One thread's digest, the UTF-8 input it hashes, and the digest's output. */
  private static final class Md5 {
    private final MessageDigest digest = newMd5();
    private final byte[] out = new byte[16];
    private byte[] input = new byte[128];
    private int length;

    /** MD5 of "first,second" joined {@code times} times with commas, modulo 9999. */
    int mod9999(String first, String second, int times) {
      length = 0;
      for (int i = 0; i < times; i++) {
        if (i > 0) {
          append(',');
        }
        append(first);
        append(',');
        append(second);
      }
      digest.update(input, 0, length);
      try {
        digest.digest(out, 0, out.length);
      } catch (DigestException e) {
        throw new IllegalStateException("an MD5 digest is 16 bytes", e);
      }
      int remainder = 0;
      for (byte b : out) {
        remainder = (remainder * 256 + (b & 0xff)) % 9999;
      }
      return remainder;
    }

    private void append(String s) {
      int n = s.length();
      ensure(n);
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          appendUtf8(s, i);
          return;
        }
        input[length++] = (byte) c;
      }
    }

    /** The rest of the string from {@code from}, which is not ASCII. */
    private void appendUtf8(String s, int from) {
      byte[] bytes = s.substring(from).getBytes(StandardCharsets.UTF_8);
      ensure(bytes.length);
      System.arraycopy(bytes, 0, input, length, bytes.length);
      length += bytes.length;
    }

    private void append(char ascii) {
      ensure(1);
      input[length++] = (byte) ascii;
    }

    private void ensure(int more) {
      if (length + more > input.length) {
        input = Arrays.copyOf(input, Math.max(input.length * 2, length + more));
      }
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
