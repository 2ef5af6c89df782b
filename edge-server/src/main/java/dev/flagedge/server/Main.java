package dev.flagedge.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the server: {@code java -jar edge-server.jar [--config PATH]}. Configuration comes from
 * {@code config.json} and environment variables as for the reference proxy; with none at all, a
 * bundled demo environment is served offline.
 */
public final class Main {
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
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i]) && i + 1 < args.length) {
        configPath = Optional.of(Path.of(args[++i]));
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println("usage: java -jar edge-server.jar [--config PATH]");
        return;
      } else {
        fail(
            "unknown argument: " + args[i] + " (usage: java -jar edge-server.jar [--config PATH])");
      }
    }
    ServerConfig config;
    boolean demo;
    try {
      ConfigLoader.Loaded loaded = ConfigLoader.load(System.getenv(), configPath);
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
      server = EdgeServer.start(config);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage()); // an unusable environment file
      return;
    }
    if (demo) {
      printDemoBanner(server.port());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "edge-server-shutdown"));
    stopped.await();
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
