package dev.flagedge.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
