package dev.flagedge.engine.internal;

import dev.flagedge.engine.Flag;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Room on every {@link Flag} for one serialised form of it, made on first use and kept on the flag.
 *
 * <p>Flags are shared, immutable engine objects: a document compiles to a fixed set of them, and
 * every evaluation answers with some of those. An answer made of flags copies each flag's bytes
 * rather than writing it again; keeping the bytes on the flag makes finding them a field read. A
 * map from flag to bytes, its earlier home, missed the CPU caches on nearly every flag once a
 * server held a few hundred environments.
 *
 * <p>There are {@value #SLOTS} slots, taken once each by a {@code static final} field of the class
 * that writes the form. Thread-safe: two threads may both make the same bytes once; either copy is
 * kept.
 */
public final class FlagSlot {
  /** How many forms a flag can keep. */
  public static final int SLOTS = 2;

  private static final AtomicInteger TAKEN = new AtomicInteger();
  private static volatile Access access;

  private final int index;

  private FlagSlot(int index) {
    this.index = index;
  }

  /**
   * Takes the next free slot.
   *
   * @throws IllegalStateException if every slot is taken
   */
  public static FlagSlot take() {
    int index = TAKEN.getAndIncrement();
    if (index >= SLOTS) {
      throw new IllegalStateException("every flag slot is taken: " + SLOTS);
    }
    return new FlagSlot(index);
  }

  /**
   * The bytes kept on the flag in this slot, made by {@code make} (and kept) the first time.
   *
   * @param flag the flag
   * @param make writes the flag's form; must give the same bytes whenever it is called for a flag
   */
  public byte[] get(Flag flag, Function<Flag, byte[]> make) {
    // Flag registers the access as it initialises, which a flag instance proves done.
    Access a = access;
    byte[] bytes = a.get(flag, index);
    if (bytes == null) {
      bytes = Objects.requireNonNull(make.apply(flag), "make");
      a.set(flag, index, bytes);
    }
    return bytes;
  }

  /** Registered once by {@link Flag}: reads and writes its slots, which only it can reach. */
  public interface Access {
    /** The bytes in the slot, or null. */
    byte[] get(Flag flag, int slot);

    /** Keeps the bytes in the slot. */
    void set(Flag flag, int slot, byte[] bytes);
  }

  /**
   * Called by {@link Flag} only, as it initialises.
   *
   * @throws IllegalStateException on a second call
   */
  public static void register(Access flagAccess) {
    if (access != null) {
      throw new IllegalStateException("the flag access is registered once");
    }
    access = Objects.requireNonNull(flagAccess, "flagAccess");
  }
}
