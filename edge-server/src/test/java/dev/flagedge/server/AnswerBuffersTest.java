package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class AnswerBuffersTest {
  @Test
  void take_afterGive_returnsTheSameArray_onceOnly() {
    byte[] first = AnswerBuffers.take();
    assertEquals(AnswerBuffers.SIZE, first.length);
    AnswerBuffers.give(first);
    assertSame(first, AnswerBuffers.take());
    assertNotSame(first, AnswerBuffers.take(), "an array is lent to one answer at a time");
  }

  @Test
  void give_grownArrayWithinTheBound_kept_largerOrSmallerOnes_left() {
    AnswerBuffers.take(); // this thread's slot is empty
    byte[] grown = new byte[AnswerBuffers.MAX_KEPT];
    AnswerBuffers.give(grown);
    assertSame(grown, AnswerBuffers.take());
    AnswerBuffers.give(new byte[AnswerBuffers.MAX_KEPT + 1]);
    assertEquals(AnswerBuffers.SIZE, AnswerBuffers.take().length);
    AnswerBuffers.give(new byte[16]);
    assertEquals(AnswerBuffers.SIZE, AnswerBuffers.take().length);
  }

  @Test
  void give_slotTaken_secondArrayLeft() {
    AnswerBuffers.take();
    byte[] kept = new byte[AnswerBuffers.SIZE];
    AnswerBuffers.give(kept);
    AnswerBuffers.give(new byte[AnswerBuffers.SIZE]);
    assertSame(kept, AnswerBuffers.take());
  }
}
