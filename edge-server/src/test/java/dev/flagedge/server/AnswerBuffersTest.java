package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each test runs on a thread of its own: the arrays are kept per thread, so on JUnit's thread a
 * test would start with whatever an earlier test (of any class) left there, and leave its own.
 */
class AnswerBuffersTest {
  @Test
  void take_afterGive_returnsTheSameArray_onceOnly() throws Exception {
    onFreshThread(
        () -> {
          byte[] first = AnswerBuffers.take();
          assertEquals(AnswerBuffers.SIZE, first.length);
          AnswerBuffers.give(first);
          assertSame(first, AnswerBuffers.take());
          assertNotSame(first, AnswerBuffers.take(), "an array is lent to one answer at a time");
        });
  }

  @Test
  void give_grownArrayWithinTheBound_kept_largerOrSmallerOnes_left() throws Exception {
    onFreshThread(
        () -> {
          byte[] grown = new byte[AnswerBuffers.MAX_KEPT];
          AnswerBuffers.give(grown);
          assertSame(grown, AnswerBuffers.take());
          AnswerBuffers.give(new byte[AnswerBuffers.MAX_KEPT + 1]);
          assertEquals(AnswerBuffers.SIZE, AnswerBuffers.take().length);
          AnswerBuffers.give(new byte[16]);
          assertEquals(AnswerBuffers.SIZE, AnswerBuffers.take().length);
        });
  }

  @Test
  void give_slotTaken_secondArrayLeft() throws Exception {
    onFreshThread(
        () -> {
          byte[] kept = new byte[AnswerBuffers.SIZE];
          AnswerBuffers.give(kept);
          AnswerBuffers.give(new byte[AnswerBuffers.SIZE]);
          assertSame(kept, AnswerBuffers.take());
        });
  }

  /** Runs the test's body on a new thread, whose slot is empty; rethrows what it threw. */
  private static void onFreshThread(Runnable body) throws Exception {
    FutureTask<Void> task = new FutureTask<>(body, null);
    Thread thread = new Thread(task, "answer-buffers-test");
    thread.start();
    try {
      task.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error; // an AssertionError, reported as the test's own
      }
      throw (RuntimeException) e.getCause();
    } finally {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }
  }
}
