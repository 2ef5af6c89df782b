package dev.flagedge.examples;

import dev.flagedge.engine.Environment;
import dev.flagedge.engine.EvaluationResult;
import dev.flagedge.engine.Flag;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The engine alone: compile an environment document once, then evaluate flags for the environment
 * and for identities with traits. No threads, no network; you bring the document.
 */
public final class EngineExample {
  private EngineExample() {}

  public static void main(String[] args) throws IOException {
    Environment environment;
    try (InputStream document = EngineExample.class.getResourceAsStream("/demo-environment.json")) {
      environment = Environment.parse(document);
    }
    System.out.println("Environment " + environment.name() + ":");
    environment.environmentFlags().forEach(EngineExample::print);

    System.out.println("alice (plan=beta, orders=120):");
    environment
        .identityFlags("alice", Map.of("plan", "beta", "orders", 120))
        .forEach(EngineExample::print);

    EvaluationResult vip = environment.evaluate("vip-user", Map.of());
    System.out.println("vip-user is in segments " + vip.segments());
    print(vip.flags().get("banner_text"));
  }

  private static void print(Flag flag) {
    System.out.printf(
        "  %-20s enabled=%-5s value=%-22s %s%s%n",
        flag.name(),
        flag.enabled(),
        flag.valueJson(),
        flag.reason(),
        flag.segmentName().map(segment -> " (segment " + segment + ")").orElse(""));
  }
}
