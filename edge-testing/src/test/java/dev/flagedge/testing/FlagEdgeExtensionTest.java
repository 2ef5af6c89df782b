package dev.flagedge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.sync.FlagEdgeClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class FlagEdgeExtensionTest {
  @Test
  void environment_outsideATest_throwsIllegalState() {
    assertThrows(IllegalStateException.class, () -> new FlagEdgeExtension().environment());
  }

  @Nested
  @ExtendWith(FlagEdgeExtension.class)
  class ExtendedWith {
    @Test
    void parameters_emptyEnvironmentAndItsClient(TestEnvironment flags, FlagEdgeClient client) {
      assertSame(flags.client(), client);
      assertTrue(client.environmentFlags().all().isEmpty());
      flags.update(doc -> doc.flag("new_checkout", true));
      assertTrue(client.isEnabled("new_checkout"));
    }
  }

  @Nested
  class Registered {
    @RegisterExtension
    FlagEdgeExtension flags = FlagEdgeExtension.create(doc -> doc.flag("new_checkout", false));

    /** Each repetition changes the flag; each must start from the setup again. */
    @RepeatedTest(2)
    void eachTest_freshEnvironmentFromTheSetup() {
      FlagEdgeClient client = flags.environment().client();
      assertFalse(client.isEnabled("new_checkout"));
      flags.environment().update(doc -> doc.flag("new_checkout", true));
      assertTrue(client.isEnabled("new_checkout"));
    }
  }

  @Nested
  class FromResource {
    @RegisterExtension
    FlagEdgeExtension flags = FlagEdgeExtension.fromResource("flags/environment.json");

    @Test
    void exportedDocument_served(TestEnvironment environment) {
      assertSame(flags.environment(), environment);
      assertEquals(50, environment.client().environmentFlags().value("max_cart_items", 0));
    }
  }
}
