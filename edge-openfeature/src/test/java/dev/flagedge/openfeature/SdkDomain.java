package dev.flagedge.openfeature;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.util.UUID;

/**
 * A provider for a fresh OpenFeature domain. The SDK's API is a process-wide singleton, so every
 * test uses its own domain and unbinds it (shutting the provider down) when done.
 */
final class SdkDomain implements AutoCloseable {
  private final String domain = "flagedge-test-" + UUID.randomUUID();
  private final FlagEdgeProvider provider;

  SdkDomain(FlagEdgeProvider provider) {
    this.provider = provider;
  }

  /** Binds the provider and waits for its initialization; throws when that fails. */
  SdkDomain bindAndWait() {
    OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
    return this;
  }

  String providerName() {
    return OpenFeatureAPI.getInstance().getProviderMetadata(domain).getName();
  }

  Client client() {
    return OpenFeatureAPI.getInstance().getClient(domain);
  }

  @Override
  public void close() {
    OpenFeatureAPI.getInstance().setProvider(domain, new NoOpProvider());
    provider.shutdown();
  }
}
