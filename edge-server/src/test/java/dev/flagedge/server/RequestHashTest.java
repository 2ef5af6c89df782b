package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestHashTest {
  private static final byte[] BODY =
      ("{\"identifier\":\"user-1\",\"traits\":["
              + "{\"trait_key\":\"plan\",\"trait_value\":\"pro\"},".repeat(14)
              + "{\"trait_key\":\"plan\",\"trait_value\":\"pro\"}]}")
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void of_sameBytesAndSalt_sameHash() {
    assertEquals(RequestHash.of(BODY, 7), RequestHash.of(BODY.clone(), 7));
  }

  @Test
  void of_otherSalt_otherHash() {
    assertNotEquals(RequestHash.of(BODY, 7), RequestHash.of(BODY, 8));
  }

  @Test
  void of_anyOneByteChanged_otherHash() {
    // Every position: the four lanes, the eight-byte run after them, and the tail.
    Set<Long> hashes = new HashSet<>();
    hashes.add(RequestHash.of(BODY, 0));
    for (int i = 0; i < BODY.length; i++) {
      byte[] changed = BODY.clone();
      changed[i] ^= 1;
      hashes.add(RequestHash.of(changed, 0));
    }
    assertEquals(BODY.length + 1, hashes.size());
  }

  @Test
  void of_prefixesOfEveryLength_allDiffer() {
    // Trailing zero bytes must not hash like a shorter body: the length is part of the hash.
    byte[] zeros = new byte[100];
    Set<Long> hashes = new HashSet<>();
    for (int length = 0; length <= zeros.length; length++) {
      hashes.add(RequestHash.of(java.util.Arrays.copyOf(zeros, length), 0));
    }
    assertEquals(zeros.length + 1, hashes.size());
  }
}
