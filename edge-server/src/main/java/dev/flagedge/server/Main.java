package dev.flagedge.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the server: {@code java -jar edge-server.jar [--config PATH]}. Configuration comes from
 * {@code config.json} and environment variables as for the reference proxy; with none at all, a
 * bundled demo environment is served offline.
 */
public final class Main {
  private static final System.Logger logger = System.getLogger(Main.class.getName());

  static final String DEMO_SERVER_KEY = "ser.demo_server_key";
  static final String DEMO_CLIENT_KEY = "demo_client_key";

  private Main() {}

  /**
   * Starts the server and blocks until the process is asked to stop.
   *
   * @param args {@code --config PATH} to name the configuration file
   * @throws Exception if start-up fails unexpectedly
   */
  public static void main(String[] args) throws Exception {
    Optional<Path> configPath = Optional.empty();
    boolean checkOnly = false;
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i]) && i + 1 < args.length) {
        configPath = Optional.of(Path.of(args[++i]));
      } else if (args[i].equals("--check-config")) {
        checkOnly = true;
        if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
          configPath = Optional.of(Path.of(args[++i]));
        }
      } else if (args[i].equals("--version")) {
        System.out.println("flagedge " + version());
        return;
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println(USAGE);
        return;
      } else {
        fail("unknown argument: " + args[i] + "\n" + USAGE);
      }
    }
    if (checkOnly) {
      System.exit(checkConfig(configPath));
      return;
    }
    // Before anything else: the JVM's default for SIGHUP is to exit.
    AtomicReference<ConfigReloader> reloading = new AtomicReference<>();
    boolean hangUpReloads =
        Signals.onHangUp(
            () -> {
              ConfigReloader reloader = reloading.get();
              if (reloader != null) {
                reloader.reloadNow();
              }
            });
    ServerConfig config;
    boolean demo;
    ConfigLoader.Loaded loaded;
    String startedFrom;
    try {
      startedFrom = ConfigReloader.digest(ConfigLoader.path(System.getenv(), configPath));
      loaded = ConfigLoader.load(System.getenv(), configPath);
      demo = !loaded.hasEnvironments();
      if (demo) {
        loaded.builder().environmentFile(demoDocument(), Optional.of(DEMO_SERVER_KEY));
      }
      config = loaded.builder().build();
    } catch (ConfigLoader.ConfigException | IllegalArgumentException e) {
      fail(e.getMessage());
      return;
    }
    LogSetup.configure(config.logLevel(), config.jsonLogs());
    FatalErrors.PROCESS.installAsDefaultHandler();
    EdgeServer server;
    try {
      server = EdgeServer.start(config, FatalErrors.PROCESS);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage()); // an unusable environment file
      return;
    }
    if (demo) {
      printDemoBanner(server.port());
    }
    ConfigReloader reloader =
        loaded.file().isPresent() && !demo
            ? new ConfigReloader(
                    loaded.file().get(),
                    startedFrom,
                    System.getenv(),
                    server,
                    next -> LogSetup.configure(next.logLevel(), next.jsonLogs()))
                .start()
            : null;
    reloading.set(reloader);
    if (reloader != null && !hangUpReloads) {
      logger.log(
          System.Logger.Level.WARNING,
          "SIGHUP does not reload the configuration: this process ignores it (started under nohup,"
              + " or by a parent that ignores it) or has no signal support; changes to {0} still"
              + " apply within seconds",
          loaded.file().get());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (reloader != null) {
                    reloader.close();
                  }
                  server.close();
                  stopped.countDown();
                },
                "edge-server-shutdown"));
    stopped.await();
  }

  static final String USAGE =
      "usage: java -jar edge-server.jar [--config PATH]\n"
          + "       java -jar edge-server.jar --check-config [PATH]   validate, exit 0 or 1\n"
          + "       java -jar edge-server.jar --version\n"
          + "Configuration: PATH, else $CONFIG_PATH, else ./config.json, overridden by environment\n"
          + "variables of the same names; the file is reloaded when it changes, and on SIGHUP.\n"
          + "Settings (README.md, Configuration, says more):\n"
          + Settings.help();

  /** Validates a configuration as start-up would; prints the verdict; 0 when it is usable. */
  static int checkConfig(Optional<Path> configPath) {
    try {
      ConfigLoader.Loaded loaded = ConfigLoader.load(System.getenv(), configPath);
      ServerConfig config = loaded.builder().build();
      for (ServerConfig.OfflineFile file : config.environmentFiles()) {
        if (!java.nio.file.Files.isReadable(file.path())) {
          throw new IllegalArgumentException("environment_files: cannot read " + file.path());
        }
      }
      System.out.println(
          "configuration OK"
              + loaded.file().map(f -> " (" + f + ")").orElse(" (environment variables only)")
              + ": "
              + config.environmentCount()
              + " environment(s)"
              + (config.proxyKey().isPresent() ? " and a proxy key" : ""));
      return 0;
    } catch (ConfigLoader.ConfigException | IllegalArgumentException e) {
      System.err.println("flagedge: " + e.getMessage());
      return 1;
    }
  }

  /** The version from the jar's manifest; "development" when run from classes. */
  static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version != null ? version : "development";
  }

  private static void printDemoBanner(int port) {
    System.out.println(
        "FlagEdge is serving the bundled demo environment (no upstream, no config found).");
    System.out.println("  client-side key: " + DEMO_CLIENT_KEY);
    System.out.println("  server-side key: " + DEMO_SERVER_KEY);
    System.out.println(
        "  try: curl -s -H 'X-Environment-Key: "
            + DEMO_CLIENT_KEY
            + "' http://localhost:"
            + port
            + "/api/v1/flags/");
  }

  private static Path demoDocument() {
    try (InputStream in = Main.class.getResourceAsStream("/demo-environment.json")) {
      if (in == null) {
        throw new IllegalStateException("the demo environment is missing from the jar");
      }
      Path file = Files.createTempFile("flagedge-demo-", ".json");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void fail(String message) {
    System.err.println("flagedge: " + message);
    System.exit(2);
  }
}
