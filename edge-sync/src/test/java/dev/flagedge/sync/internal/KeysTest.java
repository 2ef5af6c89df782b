package dev.flagedge.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void mask_longKey_firstFourCharactersAfterServerPrefix() {
    assertEquals("ser.abcd…", Keys.mask("ser.abcdefgh"));
    assertEquals("clie…", Keys.mask("client-key"));
  }

  @Test
  void mask_shortKey_atMostHalf() {
    assertEquals("ab…", Keys.mask("abcde"));
    assertEquals("ab…", Keys.mask("abcdefgh"));
    assertEquals("…", Keys.mask("a"));
  }

  @Test
  void fileStem_plainClientKey_keptReadable() {
    assertEquals("client-key", Keys.fileStem("client-key"));
  }

  @Test
  void fileStem_serverKeyOrUnsafeKey_hashed() {
    for (String key : List.of("ser.secret", "../../etc/passwd", ".hidden", "a/b", "x".repeat(65))) {
      String stem = Keys.fileStem(key);
      assertTrue(stem.matches("key-[0-9a-f]{32}"), stem);
      assertFalse(stem.contains("secret"), stem);
    }
  }

  @Test
  void sha256_knownDigests_sameOnEveryCallOfAThread() {
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
    assertEquals(abc, Keys.sha256Hex(bytes));
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        Keys.sha256Hex(new byte[0]));
    assertEquals(abc, HexFormat.of().formatHex(Keys.sha256(bytes))); // the digest was reset
  }
}
