package dev.flagedge.server;

import dev.flagedge.sync.internal.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reloads the configuration file while the server runs. The file's content is read once a second,
 * through any symbolic links, so every way of changing it is seen: an atomic rename, a write in
 * place, and Kubernetes' update of a mounted Secret (its {@code ..data} link swapped to a new
 * directory). A change is applied once the content has stayed the same for one more check, so a
 * burst of writes is applied once, within about two seconds of the last. {@link #reloadNow()} (on
 * {@code SIGHUP}) reloads at once.
 *
 * <p>A file that does not load — bad JSON, a failed validation — changes nothing: the running
 * configuration stays, the error (naming the setting, never a key) is logged, counted and shown by
 * {@code /proxy/health} until a good file is applied ({@link Reloads}).
 */
final class ConfigReloader implements AutoCloseable {
  private static final System.Logger logger = System.getLogger(ConfigReloader.class.getName());
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  private final Path file;
  private final Map<String, String> environment;
  private final EdgeServer server;
  private final Consumer<ServerConfig> logging;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "edge-server-config-reload");
            thread.setDaemon(true);
            return thread;
          });
  // Touched only on the timer's thread (after construction).
  private String applied;
  private String pending;
  private List<String> awaitingRestart = List.of();

  /**
   * @param file the configuration file the server started from
   * @param startedFrom the {@link #digest(Path)} of the file as read before the server started
   * @param environment the process environment, whose settings still override the file's
   * @param logging applies a configuration's logging settings to the process
   */
  ConfigReloader(
      Path file,
      String startedFrom,
      Map<String, String> environment,
      EdgeServer server,
      Consumer<ServerConfig> logging) {
    this.file = file;
    this.applied = startedFrom;
    this.environment = Map.copyOf(environment);
    this.server = server;
    this.logging = logging;
  }

  /** Starts watching: a change made since the server read the file is applied at once. */
  ConfigReloader start() {
    timer.scheduleWithFixedDelay(
        this::check, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reloads at once if the content changed since it was last applied (counted either way). */
  void reloadNow() {
    timer.execute(
        () -> {
          String current = digest(file);
          if (current.equals(applied)) {
            logger.log(System.Logger.Level.INFO, "configuration in {0} unchanged", file);
            server.reloads().unchanged();
          } else {
            reload(current);
          }
        });
  }

  private void check() {
    try {
      String current = digest(file);
      if (current.equals(applied)) {
        pending = null;
      } else if (current.equals(pending)) {
        reload(current);
      } else {
        pending = current; // changed since the last check: wait until it holds still
      }
    } catch (RuntimeException e) {
      logger.log(System.Logger.Level.WARNING, "configuration check failed: {0}", e.toString());
    }
  }

  private void reload(String digest) {
    applied = digest;
    pending = null;
    ServerConfig next;
    try {
      ConfigLoader.Loaded loaded = ConfigLoader.load(environment, Optional.of(file));
      if (!loaded.hasEnvironments()) {
        throw new IllegalArgumentException(
            "the new configuration names no environment (environment_key_pairs,"
                + " environment_files or proxy_key)");
      }
      next = loaded.builder().build();
    } catch (ConfigLoader.ConfigException | IllegalArgumentException e) {
      refused(e.getMessage());
      return;
    }
    try {
      List<String> restart = server.reconfigure(next);
      logging.accept(next);
      logger.log(System.Logger.Level.INFO, "configuration reloaded from {0}", file);
      if (!restart.isEmpty()) {
        logger.log(
            System.Logger.Level.WARNING,
            "changed settings that apply at the next start only: {0}",
            String.join(", ", restart));
      } else if (!awaitingRestart.isEmpty()) {
        logger.log(
            System.Logger.Level.INFO,
            "settings back as the server started, no restart needed any more: {0}",
            String.join(", ", awaitingRestart));
      }
      awaitingRestart = restart;
      server.reloads().applied();
    } catch (IllegalArgumentException e) {
      refused(e.getMessage());
    }
  }

  private void refused(String message) {
    logger.log(
        System.Logger.Level.ERROR,
        "configuration in {0} not applied, the running one stays: {1}",
        file,
        message);
    server.reloads().failed(message);
  }

  /** A file's content digest; a missing or unreadable file has one of its own. */
  static String digest(Path file) {
    try {
      return Keys.sha256Hex(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return "missing"; // mid-swap, or removed: reloading it would report the error
    } catch (IOException e) {
      return "unreadable: " + e.getClass().getSimpleName();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
