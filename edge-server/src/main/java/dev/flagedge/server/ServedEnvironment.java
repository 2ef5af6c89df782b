package dev.flagedge.server;

import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import dev.flagedge.engine.internal.FlagSlot;
import dev.flagedge.engine.internal.JsonWriter;
import dev.flagedge.sync.LoadedEnvironment;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One environment document as the server answers from it: the flag lists and single flags already
 * serialised for client and server keys, the document bytes, and identity responses through the
 * server's {@link ResponseCache}. Built once per document; a new document gets a new instance with
 * a new generation, which is how cached responses are told apart.
 */
final class ServedEnvironment {
  private static final AtomicLong GENERATIONS = new AtomicLong();

  private final LoadedEnvironment loaded;
  private final long generation = GENERATIONS.incrementAndGet();
  private final Environment environment;
  private final ResponseCache responses;

  /** Sorted ids of server-key-only features: searched per flag without boxing. */
  private final long[] serverOnly;

  private final boolean hideDisabled;

  private static final JsonWriter.Name IDENTIFIER = JsonWriter.Name.of("identifier");
  private static final JsonWriter.Name TRAITS = JsonWriter.Name.of("traits");
  private static final JsonWriter.Name TRAIT_KEY = JsonWriter.Name.of("trait_key");
  private static final JsonWriter.Name TRAIT_VALUE = JsonWriter.Name.of("trait_value");
  private static final JsonWriter.Name FLAGS = JsonWriter.Name.of("flags");

  /** Each flag's JSON, kept on the flag: flags are shared engine objects. */
  private static final FlagSlot FLAG_JSON = FlagSlot.take();

  private final Body clientFlags;
  private final Body serverFlags;
  private final Map<String, Body> clientFeatures = new HashMap<>();
  private final Map<String, Body> serverFeatures = new HashMap<>();
  private final Body document;

  /** Parsed on first use: few documents need it (their streams, their document, OFREP). */
  private volatile Optional<UpdatedAt> updatedAt;

  private final String version;
  private volatile OfrepAnswers ofrep;

  ServedEnvironment(
      LoadedEnvironment loaded, ResponseCache responses, DocumentCompression documents) {
    this.loaded = loaded;
    this.environment = loaded.environment();
    this.responses = responses;
    this.serverOnly =
        environment.serverKeyOnlyFeatureIds().stream()
            .mapToLong(Long::longValue)
            .sorted()
            .toArray();
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
    this.version =
        loaded.contentHash().substring(0, 16); // in every ETag: cut once, not per request
    this.document = documents.body(loaded);
  }

  LoadedEnvironment loaded() {
    return loaded;
  }

  /** The compiled environment, for evaluations this class does not serialise itself. */
  Environment environment() {
    return environment;
  }

  /** The document's flags in OFREP's form, made on first use (most servers never need them). */
  OfrepAnswers ofrep() {
    OfrepAnswers answers = ofrep;
    if (answers == null) {
      synchronized (this) {
        answers = ofrep;
        if (answers == null) {
          answers = new OfrepAnswers(loaded);
          ofrep = answers;
        }
      }
    }
    return answers;
  }

  /** A short, strong version of the document: the start of its content hash, for entity tags. */
  String version() {
    return version;
  }

  /** The document's {@code updated_at} as an instant, for {@code Last-Modified}. */
  Optional<Instant> lastModified() {
    return updatedAt().map(UpdatedAt::instant);
  }

  /** The document's {@code updated_at} as epoch seconds, if it has a valid one. */
  Optional<UpdatedAt> updatedAt() {
    Optional<UpdatedAt> parsed = updatedAt;
    if (parsed == null) { // the same value on every thread: a race parses twice, no more
      parsed = environment.updatedAt().flatMap(UpdatedAt::parse);
      updatedAt = parsed;
    }
    return parsed;
  }

  /** The number of flags (features) in the document. */
  int flagCount() {
    return environment.environmentFlags().size();
  }

  /** Identifies this document among every one the server has served; cache keys carry it. */
  long generation() {
    return generation;
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

  /**
   * The identity response. Identical requests (same kind, same bytes) are answered from the cache;
   * only a miss parses the request.
   *
   * @param kind what the bytes are and which key type asked, one byte per combination
   * @param request the request bytes: the POST body or the GET identifier
   */
  Body identity(byte kind, byte[] request, Supplier<IdentityRequest> parse, boolean serverKey) {
    return responses.get(
        new ResponseCache.Key(generation, kind, request),
        () -> identityBody(parse.get(), serverKey));
  }

  /**
   * Unique identities are the common case: their answer is written into this thread's reusable
   * array and sent from it, which is given back once the answer is sent (a cache keeps a copy).
   */
  private Body identityBody(IdentityRequest request, boolean serverKey) {
    ByteBuffer answer = identityWriter(request, serverKey).toByteBuffer();
    byte[] array = answer.array();
    return Body.json(answer, () -> AnswerBuffers.give(array));
  }

  private JsonWriter identityWriter(IdentityRequest request, boolean serverKey) {
    List<Flag> flags = environment.identityFlags(request.identifier(), request.traitValues());
    JsonWriter out = new JsonWriter(AnswerBuffers.take());
    out.beginObject().name(IDENTIFIER).value(request.identifier()).name(TRAITS).beginArray();
    for (IdentityRequest.Trait trait : request.traits()) {
      out.beginObject().name(TRAIT_KEY).value(trait.key()).name(TRAIT_VALUE);
      trait.writeValue(out);
      out.endObject();
    }
    out.endArray().name(FLAGS);
    appendFlags(flags, serverKey, out);
    return out.endObject();
  }

  private byte[] flagList(List<Flag> flags, boolean serverKey) {
    JsonWriter out = new JsonWriter(flags.size() * 112 + 2);
    appendFlags(flags, serverKey, out);
    return out.toByteArray();
  }

  private void appendFlags(List<Flag> flags, boolean serverKey, JsonWriter out) {
    out.beginArray();
    for (Flag flag : flags) {
      if (serverKey || visibleToClient(flag)) {
        out.rawValue(json(flag));
      }
    }
    out.endArray();
  }

  /** Whether a key of this type may see the flag. */
  boolean visible(Flag flag, boolean serverKey) {
    return serverKey || visibleToClient(flag);
  }

  /** Client keys never see server-only features, nor disabled ones when the project hides them. */
  private boolean visibleToClient(Flag flag) {
    return !(hideDisabled && !flag.enabled())
        && (serverOnly.length == 0 || Arrays.binarySearch(serverOnly, flag.featureId()) < 0);
  }

  private static byte[] json(Flag flag) {
    return FLAG_JSON.get(flag, ServedEnvironment::toJson);
  }

  private static byte[] toJson(Flag flag) {
    return new JsonWriter(96 + flag.name().length() + flag.valueJson().length())
        .beginObject()
        .name("feature")
        .beginObject()
        .name("id")
        .value(flag.featureId())
        .name("name")
        .value(flag.name())
        .name("type")
        .value(flag.typeText())
        .endObject()
        .name("enabled")
        .value(flag.enabled())
        .name("feature_state_value")
        .rawValue(flag.valueJson())
        .endObject()
        .toByteArray();
  }
}
