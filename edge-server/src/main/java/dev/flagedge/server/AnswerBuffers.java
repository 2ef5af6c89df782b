package dev.flagedge.server;

/**
 * One reusable array per thread for writing identity answers, which are new for every unique
 * identity (about 6 KB each for an environment of 50 features, the largest allocation of such a
 * request). An array is taken for an answer and given back once the answer has been sent, on
 * whichever thread completes the write. Memory stays bounded: a thread keeps at most one array of
 * at most {@link #MAX_KEPT} bytes.
 */
final class AnswerBuffers {
  /** Room for an answer of about 140 flags before the writer moves to a larger array. */
  static final int SIZE = 16 * 1024;

  /** Larger arrays, grown for unusually large answers, are left to the garbage collector. */
  static final int MAX_KEPT = 64 * 1024;

  private static final ThreadLocal<byte[]> FREE = new ThreadLocal<>();

  private AnswerBuffers() {}

  /** This thread's free array, or a new one. The caller owns it until it {@link #give}s it back. */
  static byte[] take() {
    byte[] free = FREE.get();
    if (free == null) {
      return new byte[SIZE];
    }
    FREE.set(null);
    return free;
  }

  /** Gives back an array that nothing reads any more. */
  static void give(byte[] array) {
    if (array.length >= SIZE && array.length <= MAX_KEPT && FREE.get() == null) {
      FREE.set(array);
    }
  }
}
