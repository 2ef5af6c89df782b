package dev.flagedge.examples;

import dev.flagedge.engine.Operator;
import dev.flagedge.sync.FlagEdgeClient;
import dev.flagedge.testing.TestEnvironment;
import java.util.Map;

/**
 * What an application's unit test does with {@code edge-testing}: build an environment in memory,
 * hand its client to the code under test, change a flag mid-test. The same engine as production
 * evaluates; no document file, no network. In a JUnit test, use try-with-resources or {@code
 * FlagEdgeExtension}.
 */
public final class TestingExample {
  private TestingExample() {}

  /** The code under test: it only knows a {@link FlagEdgeClient}. */
  record Checkout(FlagEdgeClient flags) {
    String flow(String user, Map<String, ?> traits) {
      return flags.identityFlags(user, traits).isEnabled("new_checkout") ? "new" : "classic";
    }

    int cartLimit(String user) {
      return flags.identityFlags(user, Map.of()).value("max_cart_items", 10);
    }
  }

  public static void main(String[] args) {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("new_checkout", false)
                    .flag("max_cart_items", true, 50)
                    .segment("beta", s -> s.where("plan", Operator.EQUAL, "beta"))
                    .segmentOverride("beta", "new_checkout", true)
                    .identityOverride("vip-user", "max_cart_items", true, 500))) {
      Checkout checkout = new Checkout(flags.client());
      System.out.println("alice (free): " + checkout.flow("alice", Map.of("plan", "free")));
      System.out.println("bob (beta):   " + checkout.flow("bob", Map.of("plan", "beta")));
      System.out.println(
          "cart limits:  "
              + checkout.cartLimit("alice")
              + ", vip-user "
              + checkout.cartLimit("vip-user"));

      flags.update(doc -> doc.flag("new_checkout", true)); // served when update returns
      System.out.println(
          "after rollout, alice (free): " + checkout.flow("alice", Map.of("plan", "free")));
    }
  }
}
