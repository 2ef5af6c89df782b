package dev.flagedge.server;

import java.util.function.IntConsumer;

/**
 * What happens when the JVM itself fails: an {@link OutOfMemoryError} (or an {@link InternalError}
 * or {@link UnknownError}) anywhere — a request handler, a job of the HTTP server's pool, the
 * document sync — ends the process with exit code {@value #EXIT_CODE}, as {@code
 * -XX:+ExitOnOutOfMemoryError} does, so a supervisor restarts it. A process that has lost a thread
 * to such an error keeps its port open but may never answer again; ending it is the only safe
 * answer.
 *
 * <p>{@link StackOverflowError} is the exception among virtual-machine errors: it unwinds the stack
 * that overflowed and leaves the JVM sound, and a hostile request can provoke it, so it is answered
 * as an internal error instead of ending the process.
 */
final class FatalErrors {
  /** The exit code of a process ended by a fatal error; the JVM uses 3 for the same case. */
  static final int EXIT_CODE = 3;

  /** Ends this process: the policy of the standalone server ({@link Main}). */
  static final FatalErrors PROCESS = new FatalErrors(code -> Runtime.getRuntime().halt(code));

  /**
   * Reports the error and leaves the process to the application that embeds the server ({@link
   * EdgeServer#start}): a library must not end its host's JVM. The error then takes its usual
   * course (a request answers 500, Jetty's pool logs it).
   */
  static final FatalErrors EMBEDDED = new FatalErrors(null);

  private static final System.Logger logger = System.getLogger(FatalErrors.class.getName());

  private final IntConsumer halt;

  /**
   * @param halt ends the process with an exit code; tests pass a recorder; null: never ends it
   */
  FatalErrors(IntConsumer halt) {
    this.halt = halt;
  }

  /** Whether an error leaves the JVM in a state no one can trust. */
  static boolean isFatal(Throwable error) {
    return error instanceof VirtualMachineError && !(error instanceof StackOverflowError);
  }

  /** Ends the process if the error is fatal; returns otherwise. */
  void checkFatal(Throwable error) {
    if (isFatal(error)) {
      die(Thread.currentThread(), error);
    }
  }

  /**
   * Makes this policy every thread's last resort: a thread that dies of an error would otherwise
   * end silently, leaving the process up with a part of it missing.
   */
  void installAsDefaultHandler() {
    Thread.setDefaultUncaughtExceptionHandler(this::uncaught);
  }

  void uncaught(Thread thread, Throwable error) {
    if (isFatal(error)) {
      die(thread, error);
      return;
    }
    logger.log(System.Logger.Level.ERROR, "uncaught failure in thread " + thread.getName(), error);
  }

  private void die(Thread thread, Throwable error) {
    if (halt == null) {
      logger.log(
          System.Logger.Level.ERROR,
          "fatal error in thread "
              + thread.getName()
              + "; the server is embedded, so the application decides what follows",
          error);
      return;
    }
    try {
      // Printed first and without formatting: with the heap exhausted, the logger may fail.
      System.err.println(
          "flagedge: fatal "
              + error
              + " in thread "
              + thread.getName()
              + "; exiting with code "
              + EXIT_CODE);
      logger.log(
          System.Logger.Level.ERROR,
          "fatal error in thread " + thread.getName() + ", exiting with code " + EXIT_CODE,
          error);
    } catch (Throwable ignored) {
      // nothing more can be said; ending the process matters more
    } finally {
      halt.accept(EXIT_CODE);
    }
  }
}
