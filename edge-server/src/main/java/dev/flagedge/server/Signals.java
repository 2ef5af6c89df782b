package dev.flagedge.server;

import java.lang.reflect.Proxy;

/**
 * {@code SIGHUP} for the standalone server: the conventional "reload your configuration". The JDK
 * has no supported API for signals; {@code sun.misc.Signal} (module {@code jdk.unsupported}) is the
 * one every JDK ships, reached by reflection because javac warns on any direct use of it and the
 * build allows no warnings. Where it is missing, the file watch alone applies changes.
 */
final class Signals {
  private Signals() {}

  /**
   * Runs the action on each {@code SIGHUP}.
   *
   * @return false where that cannot be: no {@code sun.misc.Signal}, or {@code SIGHUP} ignored by
   *     this process since it started (under {@code nohup}, or a parent that ignores it: the JVM
   *     then leaves it ignored whatever is asked)
   */
  static boolean onHangUp(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object proxy =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(),
              new Class<?>[] {handler},
              (self, method, args) -> {
                switch (method.getName()) {
                  case "handle":
                    action.run();
                    return null;
                  case "hashCode":
                    return System.identityHashCode(self);
                  case "equals":
                    return self == args[0];
                  default:
                    return "SIGHUP: reload the configuration";
                }
              });
      Object previous =
          signal
              .getMethod("handle", signal, handler)
              .invoke(null, signal.getConstructor(String.class).newInstance("HUP"), proxy);
      return previous != handler.getField("SIG_IGN").get(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      System.getLogger(Signals.class.getName())
          .log(System.Logger.Level.INFO, "SIGHUP is not available here: {0}", e.toString());
      return false;
    }
  }
}
