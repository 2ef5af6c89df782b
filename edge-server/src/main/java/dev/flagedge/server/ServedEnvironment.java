package dev.flagedge.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import dev.flagedge.sync.LoadedEnvironment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One environment document as the server answers from it: the flag lists and single flags already
 * serialised for client and server keys, the document bytes, and a bounded cache of identity responses.
 * Built once per document; a new document gets a new instance, which is how caches are invalidated.
 */
final class ServedEnvironment {
  private static final int IDENTITY_CACHE_SIZE = 10_000;

  private final LoadedEnvironment loaded;
  private final Environment environment;
  private final Set<Long> serverOnly;
  private final boolean hideDisabled;
  private final Map<Flag, String> flagJson = new ConcurrentHashMap<>();
  private final Body clientFlags;
  private final Body serverFlags;
  private final Map<String, Body> clientFeatures = new HashMap<>();
  private final Map<String, Body> serverFeatures = new HashMap<>();
  private final Body document;
  private final Cache<String, Body> identities =
      Caffeine.newBuilder().maximumSize(IDENTITY_CACHE_SIZE).build();

  ServedEnvironment(LoadedEnvironment loaded) {
    this.loaded = loaded;
    this.environment = loaded.environment();
    this.serverOnly = environment.serverKeyOnlyFeatureIds();
    this.hideDisabled = environment.hideDisabledFlags();
    List<Flag> flags = environment.environmentFlags();
    this.clientFlags = Body.json(flagList(flags, false));
    this.serverFlags = Body.json(flagList(flags, true));
    for (Flag flag : flags) {
      Body single = Body.json(json(flag));
      serverFeatures.put(flag.name(), single);
      if (visibleToClient(flag)) {
        clientFeatures.put(flag.name(), single);
      }
    }
    this.document = Body.json(loaded.documentJson());
  }

  LoadedEnvironment loaded() {
    return loaded;
  }

  Body flags(boolean serverKey) {
    return serverKey ? serverFlags : clientFlags;
  }

  Optional<Body> feature(String name, boolean serverKey) {
    return Optional.ofNullable((serverKey ? serverFeatures : clientFeatures).get(name));
  }

  Body document() {
    return document;
  }

  /** The identity response; identical requests are answered from the cache. */
  Body identity(String cacheKey, IdentityRequest request, boolean serverKey) {
    return identities.get(cacheKey, k -> Body.json(identityJson(request, serverKey)));
  }

  private String identityJson(IdentityRequest request, boolean serverKey) {
    List<Flag> flags = environment.identityFlags(request.identifier(), request.traitValues());
    StringBuilder sb = new StringBuilder(256 + flags.size() * 96);
    sb.append("{\"identifier\":");
    JsonOut.appendQuoted(request.identifier(), sb);
    sb.append(",\"traits\":[");
    String separator = "";
    for (IdentityRequest.Trait trait : request.traits()) {
      sb.append(separator).append("{\"trait_key\":");
      JsonOut.appendQuoted(trait.key(), sb);
      sb.append(",\"trait_value\":").append(trait.value().toString()).append('}');
      separator = ",";
    }
    sb.append("],\"flags\":");
    appendFlags(flags, serverKey, sb);
    return sb.append('}').toString();
  }

  private String flagList(List<Flag> flags, boolean serverKey) {
    StringBuilder sb = new StringBuilder(flags.size() * 96 + 2);
    appendFlags(flags, serverKey, sb);
    return sb.toString();
  }

  private void appendFlags(List<Flag> flags, boolean serverKey, StringBuilder sb) {
    sb.append('[');
    boolean first = true;
    for (Flag flag : flags) {
      if (serverKey || visibleToClient(flag)) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(json(flag));
      }
    }
    sb.append(']');
  }

  /** Client keys never see server-only features, nor disabled ones when the project hides them. */
  private boolean visibleToClient(Flag flag) {
    return !serverOnly.contains(flag.featureId()) && !(hideDisabled && !flag.enabled());
  }

  /** Flags are shared, immutable engine objects, so their JSON is cached by identity. */
  private String json(Flag flag) {
    return flagJson.computeIfAbsent(flag, ServedEnvironment::toJson);
  }

  private static String toJson(Flag flag) {
    StringBuilder sb = new StringBuilder(96);
    sb.append("{\"feature\":{\"id\":").append(flag.featureId()).append(",\"name\":");
    JsonOut.appendQuoted(flag.name(), sb);
    sb.append(",\"type\":");
    JsonOut.appendQuoted(flag.type(), sb);
    sb.append("},\"enabled\":").append(flag.enabled()).append(",\"feature_state_value\":")
        .append(flag.valueJson()).append('}');
    return sb.toString();
  }
}
