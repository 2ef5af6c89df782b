package dev.flagedge.benchmarks;

import com.flagsmith.MapperFactory;
import com.flagsmith.flagengine.Engine;
import com.flagsmith.flagengine.environments.EnvironmentModel;
import com.flagsmith.flagengine.identities.IdentityModel;
import com.flagsmith.flagengine.identities.traits.TraitModel;
import com.flagsmith.models.Flags;
import com.flagsmith.utils.models.BaseModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The official Flagsmith Java SDK (flagsmith-java-client 7.4.3) in local-evaluation mode, reduced
 * to the steps its {@code FlagsmithClient} takes per call: load the document into {@link
 * EnvironmentModel} and index identity overrides by identifier; per identity, build an {@link
 * IdentityModel} with {@link TraitModel}s, run {@link Engine#getIdentityFeatureStates} and map the
 * states to {@link Flags}. Like the SDK client, a call for an identifier with overrides in the
 * document updates that shared {@link IdentityModel}'s traits; the benchmarks use identifiers
 * without overrides.
 */
final class SdkEngine {
  private final EnvironmentModel environment;
  private final Map<String, IdentityModel> overridesByIdentifier;

  private SdkEngine(EnvironmentModel environment) {
    this.environment = environment;
    this.overridesByIdentifier = new HashMap<>();
    if (environment.getIdentityOverrides() != null) {
      for (IdentityModel identity : environment.getIdentityOverrides()) {
        overridesByIdentifier.put(identity.getIdentifier(), identity);
      }
    }
  }

  /** Parses a document with the SDK's own mapper, as its offline and polling handlers do. */
  static SdkEngine load(byte[] json) {
    try {
      return new SdkEngine(
          BaseModel.load(MapperFactory.getMapper().readTree(json), EnvironmentModel.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  EnvironmentModel environment() {
    return environment;
  }

  /** {@code FlagsmithClient.getEnvironmentFlags()} from a local document. */
  Flags environmentFlags() {
    return Flags.fromFeatureStateModels(Engine.getEnvironmentFeatureStates(environment), null);
  }

  /** {@code FlagsmithClient.getIdentityFlags(identifier, traits)} from a local document. */
  Flags identityFlags(String identifier, Map<String, Object> traits) {
    List<TraitModel> traitModels = new ArrayList<>(traits.size());
    for (Map.Entry<String, Object> trait : traits.entrySet()) {
      traitModels.add(new TraitModel(trait.getKey(), trait.getValue()));
    }
    IdentityModel identity = overridesByIdentifier.get(identifier);
    if (identity == null) {
      identity = new IdentityModel();
      identity.setIdentityTraits(traitModels);
      identity.setEnvironmentApiKey(environment.getApiKey());
      identity.setIdentifier(identifier);
    } else {
      identity.updateTraits(traitModels);
    }
    return Flags.fromFeatureStateModels(
        Engine.getIdentityFeatureStates(environment, identity), null, identity.getCompositeKey());
  }
}
