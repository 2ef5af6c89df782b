package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** Vectors verified against the reference engine. */
class HashingTest {

  @Test
  void percentage_knownVectors_matchReference() {
    assertEquals(2.7205441088217643, Hashing.percentage("1", "test_env_foobar"));
    assertEquals(51.990398079615915, Hashing.percentage("12345", "test_env_foobar"));
    assertEquals(32.17643528705741, Hashing.percentage("segment_key", "True"));
    assertEquals(14.652930586117224, Hashing.percentage("1", "1.0"));
  }

  @Test
  void percentage_hashOfExactlyHundred_rehashesWithRepeatedIds() {
    assertEquals(31.546309261852368, Hashing.percentage("1", "env_user6533"));
    assertEquals(87.74754950990197, Hashing.percentage("1", "env_user13740"));
    assertEquals(55.47109421884377, Hashing.percentage("1", "env_user22363"));
  }

  @Test
  void percentage_nonAsciiAndLongIds_hashTheirUtf8Bytes() throws Exception {
    String[][] pairs = {
      {"7", "env_ünïcödé-€-\ud83d\ude00"},
      {"segment_é", "user"},
      {"12", "env_" + "x".repeat(500)},
      {"é".repeat(100), "€".repeat(100)},
    };
    for (String[] pair : pairs) {
      assertEquals(reference(pair[0], pair[1]), Hashing.percentage(pair[0], pair[1]), pair[1]);
    }
  }

  @Test
  void percentage_everyLengthAcrossBlockBoundaries_matchesMessageDigest() throws Exception {
    // One to four 64-byte blocks, and the padding's edges (55, 56, 63, 64 bytes of message).
    for (int n = 0; n < 260; n++) {
      for (String second : new String[] {"x".repeat(n), "é".repeat(n / 2) + "z".repeat(n % 2)}) {
        double expected = reference("12", second);
        if (expected != 100.0) { // the re-hash case, covered above
          assertEquals(expected, Hashing.percentage("12", second), second);
        }
      }
    }
  }

  /** The reference's arithmetic on MD5 of the joined UTF-8 string, without its re-hash. */
  private static double reference(String first, String second) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("MD5")
            .digest((first + "," + second).getBytes(StandardCharsets.UTF_8));
    int remainder = new BigInteger(1, digest).mod(BigInteger.valueOf(9999)).intValue();
    return ((double) remainder / 9998.0) * 100.0;
  }
}
