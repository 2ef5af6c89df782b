package dev.flagedge.examples;

import dev.flagedge.engine.Flag;
import dev.flagedge.sync.FlagEdgeClient;
import dev.flagedge.sync.Flags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Evaluates Flagsmith flags in-process from a local environment document, with zero network hops.
 * Usage: {@code EmbeddedClientExample [document.json]}; without an argument it uses the bundled
 * demo document. With a server key, use {@code FlagEdgeClient.builder().serverKey("ser.…")}
 * instead.
 */
public final class EmbeddedClientExample {
  private EmbeddedClientExample() {}

  public static void main(String[] args) throws IOException {
    Path document = args.length > 0 ? Path.of(args[0]) : bundledDemoDocument();
    try (FlagEdgeClient client = FlagEdgeClient.builder().documentFile(document).build()) {
      System.out.println("Environment flags:");
      print(client.environmentFlags());

      Flags pro = client.identityFlags("user-42", Map.of("plan", "beta", "orders", 150));
      System.out.println("Flags for user-42 (plan=beta, orders=150):");
      print(pro);
      System.out.println(
          "banner_text = "
              + pro.value("banner_text", "(none)")
              + ", max_cart_items = "
              + pro.value("max_cart_items", 10)
              + ", banner_text for vip-user = "
              + client.identityFlags("vip-user", Map.of()).value("banner_text", "(none)"));
    }
  }

  private static void print(Flags flags) {
    for (Flag flag : flags.all()) {
      System.out.printf(
          "  %-14s enabled=%-5s value=%s%n", flag.name(), flag.enabled(), flag.valueJson());
    }
  }

  private static Path bundledDemoDocument() throws IOException {
    Path file = Files.createTempFile("demo-environment", ".json");
    file.toFile().deleteOnExit();
    try (InputStream in =
        EmbeddedClientExample.class.getResourceAsStream("/demo-environment.json")) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
