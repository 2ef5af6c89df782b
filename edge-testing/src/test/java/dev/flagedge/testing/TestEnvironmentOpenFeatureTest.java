package dev.flagedge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.engine.Operator;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Value;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The environment's OpenFeature provider, through the real SDK, each test in its own domain. */
class TestEnvironmentOpenFeatureTest {
  private final String domain = "flagedge-testing-" + UUID.randomUUID();
  private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();

  @AfterEach
  void unbind() {
    api.setProvider(domain, new NoOpProvider());
  }

  private Client bind(TestEnvironment flags) {
    api.setProviderAndWait(domain, flags.openFeatureProvider());
    return api.getClient(domain);
  }

  @Test
  void provider_evaluatesTheDocument() {
    try (TestEnvironment flags =
        TestEnvironment.create(
            doc ->
                doc.flag("new_checkout", false)
                    .flag("discount", true, 12.34)
                    .flag("theme", true, Map.of("dark", true))
                    .segment("beta", s -> s.where("plan", Operator.EQUAL, "beta"))
                    .segmentOverride("beta", "new_checkout", true))) {
      Client client = bind(flags);
      assertEquals(ProviderState.READY, client.getProviderState());
      assertEquals(false, client.getBooleanValue("new_checkout", true));
      assertEquals(
          true,
          client.getBooleanValue(
              "new_checkout",
              false,
              new ImmutableContext("alice", Map.of("plan", new Value("beta")))));
      assertEquals(12.34, client.getDoubleValue("discount", 0.0));
      assertEquals(
          true,
          client.getObjectValue("theme", new Value()).asStructure().getValue("dark").asBoolean());
    }
  }

  @Test
  void update_configurationChangedWithChangedFlags() throws InterruptedException {
    try (TestEnvironment flags =
        TestEnvironment.create(doc -> doc.flag("banner", true, "v1").flag("other", true))) {
      Client client = bind(flags);
      BlockingQueue<EventDetails> changes = new LinkedBlockingQueue<>();
      client.onProviderConfigurationChanged(changes::add);

      flags.update(doc -> doc.flag("banner", true, "v2"));

      assertEquals("v2", client.getStringValue("banner", ""), "served when update returns");
      EventDetails event = changes.poll(10, TimeUnit.SECONDS);
      assertNotNull(event, "no PROVIDER_CONFIGURATION_CHANGED within 10 seconds");
      assertEquals(List.of("banner"), event.getFlagsChanged());
    }
  }

  @Test
  void providerShutDown_environmentKeepsServing() {
    try (TestEnvironment flags = TestEnvironment.create(doc -> doc.flag("banner", true, "v1"))) {
      bind(flags);
      api.setProvider(domain, new NoOpProvider()); // the SDK shuts the provider down
      flags.update(doc -> doc.flag("banner", true, "v2"));
      assertEquals("v2", flags.client().environmentFlags().value("banner", ""));
      Client again = bind(flags);
      assertEquals("v2", again.getStringValue("banner", ""), "a new provider for the same client");
      assertTrue(flags.client().status().hasDocument());
    }
  }
}
