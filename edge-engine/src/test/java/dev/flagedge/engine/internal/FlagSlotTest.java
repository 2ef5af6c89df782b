package dev.flagedge.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FlagSlotTest {
  private static final FlagSlot NAMES = FlagSlot.take();
  private static final FlagSlot VALUES = FlagSlot.take();

  private static final String DOCUMENT =
      """
      {"api_key": "client-key", "name": "Test", "project": {"segments": []},
       "feature_states": [
         {"feature": {"id": 1, "name": "banner", "type": "STANDARD"}, "enabled": true,
          "feature_state_value": "hello"},
         {"feature": {"id": 2, "name": "colour", "type": "MULTIVARIATE"}, "enabled": true,
          "feature_state_value": "control", "multivariate_feature_state_values": [
            {"id": 1, "percentage_allocation": 50, "multivariate_feature_option": {"value": "red"}},
            {"id": 2, "percentage_allocation": 50,
             "multivariate_feature_option": {"value": "blue"}}]}]}
      """;

  private final Environment environment = Environment.parse(DOCUMENT);

  @Test
  void get_makesEachFlagsBytesOnceAndKeepsThemOnTheFlag() {
    AtomicInteger made = new AtomicInteger();
    for (int i = 0; i < 100; i++) {
      for (Flag flag : environment.identityFlags("user-" + i, Map.of())) {
        NAMES.get(flag, f -> bytes(f.name() + made.incrementAndGet()));
      }
    }
    // banner's one flag, and colour's variants: at most its control and two options
    assertTrue(made.get() >= 2 && made.get() <= 4, "made " + made.get());
    Flag banner = environment.environmentFlags().get(0);
    byte[] first = NAMES.get(banner, f -> bytes("never"));
    assertSame(first, NAMES.get(banner, f -> bytes("never")));
  }

  @Test
  void get_slotsAreIndependent() {
    Flag banner = environment.environmentFlags().get(0);
    byte[] name = NAMES.get(banner, f -> bytes(f.name()));
    byte[] value = VALUES.get(banner, f -> bytes(f.valueJson()));
    assertEquals("banner", new String(name, StandardCharsets.UTF_8));
    assertEquals("\"hello\"", new String(value, StandardCharsets.UTF_8));
    assertNotSame(name, value);
  }

  @Test
  void get_anotherDocumentsFlags_haveTheirOwnBytes() {
    List<Flag> mine = environment.environmentFlags();
    List<Flag> theirs = Environment.parse(DOCUMENT).environmentFlags();
    assertNotSame(
        NAMES.get(mine.get(0), f -> bytes("mine")), NAMES.get(theirs.get(0), f -> bytes("theirs")));
  }

  @Test
  void take_whenEverySlotIsTaken_fails() {
    assertThrows(IllegalStateException.class, FlagSlot::take);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
