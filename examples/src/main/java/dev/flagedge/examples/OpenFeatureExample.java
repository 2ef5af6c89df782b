package dev.flagedge.examples;

import dev.flagedge.openfeature.FlagEdgeProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Evaluates Flagsmith flags through the OpenFeature API, in-process, from the bundled demo
 * document. With a server key, use {@code FlagEdgeProvider.builder().serverKey("ser.…")} instead.
 */
public final class OpenFeatureExample {
  private OpenFeatureExample() {}

  public static void main(String[] args) throws IOException {
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait(FlagEdgeProvider.builder().documentFile(demoDocument()).build());
    try {
      Client flags = api.getClient();
      System.out.println("checkout_v2 = " + flags.getBooleanValue("checkout_v2", false));
      System.out.println("max_cart_items = " + flags.getIntegerValue("max_cart_items", 10));

      ImmutableContext proUser = new ImmutableContext("user-42", Map.of("plan", new Value("beta")));
      FlagEvaluationDetails<Boolean> banner =
          flags.getBooleanDetails("checkout_v2", false, proUser);
      System.out.println(
          "checkout_v2 for user-42 (plan=beta) = "
              + banner.getValue()
              + " ["
              + banner.getReason()
              + "]");
      System.out.println(
          "banner_text for vip-user = "
              + flags.getStringValue("banner_text", "", new ImmutableContext("vip-user")));

      FlagEvaluationDetails<Integer> missing = flags.getIntegerDetails("no_such_flag", -1);
      System.out.println(
          "no_such_flag = " + missing.getValue() + " [" + missing.getErrorCode() + "]");
    } finally {
      api.shutdown();
    }
  }

  private static Path demoDocument() throws IOException {
    Path file = Files.createTempFile("demo-environment", ".json");
    file.toFile().deleteOnExit();
    try (InputStream in = OpenFeatureExample.class.getResourceAsStream("/demo-environment.json")) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
