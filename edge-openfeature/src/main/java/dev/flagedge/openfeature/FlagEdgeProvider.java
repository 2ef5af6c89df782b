package dev.flagedge.openfeature;

import dev.flagedge.engine.Flag;
import dev.flagedge.sync.FlagEdgeClient;
import dev.flagedge.sync.Flags;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * An OpenFeature provider for Flagsmith flags, evaluated in-process by a {@link FlagEdgeClient}: no
 * network hop per evaluation.
 *
 * <pre>{@code
 * FlagEdgeProvider provider = FlagEdgeProvider.builder().serverKey("ser.…").build();
 * OpenFeatureAPI.getInstance().setProviderAndWait(provider);
 * Client flags = OpenFeatureAPI.getInstance().getClient();
 * boolean on = flags.getBooleanValue("new_checkout", false,
 *     new ImmutableContext("user-42", Map.of("plan", new Value("pro"))));
 * }</pre>
 *
 * <p><b>Evaluation.</b> With a targeting key the identity's flags are evaluated (identifier =
 * targeting key, traits = the other attributes: strings, booleans and numbers as they are, instants
 * as ISO-8601 strings, structures, lists and nulls skipped); without one (null or blank) the
 * environment's flags, and the attributes are ignored. A boolean is the feature's enabled state.
 * Strings, integers, doubles and objects are the feature's value, read by the one value rule that
 * {@link Flags#value(String, Object)} applies too: numbers also come from numeric strings ({@code
 * "12.34"}, as Flagsmith stores floats), an integer only when whole and within the {@code int}
 * range, a double as the nearest finite value; objects come from JSON object or array text (or
 * container values). A disabled feature gives reason {@code DISABLED} with its value (see {@link
 * Builder#returnValueForDisabledFlags(boolean)}). Errors give the default value with {@code
 * FLAG_NOT_FOUND}, {@code TYPE_MISMATCH} (also for a feature without a value), {@code PARSE_ERROR}
 * (malformed JSON text) or {@code PROVIDER_NOT_READY} (no document yet).
 *
 * <p><b>Lifecycle and events.</b> {@link #initialize(EvaluationContext)} starts the client when the
 * provider builds it, waiting up to the startup timeout for the first document, subscribes to the
 * client's events ({@link FlagEdgeClient#addListener}), and fails with {@link
 * ProviderNotReadyError} when no document is served; {@code PROVIDER_READY} follows once one
 * arrives. A changed document emits {@code PROVIDER_CONFIGURATION_CHANGED}, listing the environment
 * flags that changed; a failed sync emits {@code PROVIDER_STALE} (once per failure streak) and the
 * next success {@code PROVIDER_READY}; an environment a proxy's inventory no longer gives emits
 * {@code PROVIDER_ERROR}. Events are emitted as the client reports them, without polling. {@link
 * #shutdown()} unsubscribes, and closes the client only if the provider built it. A provider cannot
 * be initialized again after shutdown.
 *
 * <p>Thread-safe.
 */
public final class FlagEdgeProvider extends EventProvider {
  private static final System.Logger logger = System.getLogger(FlagEdgeProvider.class.getName());
  private static final Metadata METADATA = () -> "flagedge";

  private final FlagEdgeClient.Builder clientBuilder; // null for a client given to the builder
  private final FlagResolver resolver;
  private final ChangeTracker tracker;
  private final Object lifecycle = new Object();
  private volatile FlagEdgeClient client; // null until initialized, unless given to the builder
  private boolean shutDown; // guarded by lifecycle

  private FlagEdgeProvider(Builder builder) {
    this.client = builder.client;
    this.clientBuilder = builder.clientBuilder;
    this.resolver = new FlagResolver(builder.returnValueForDisabledFlags);
    this.tracker = new ChangeTracker(this::emit);
  }

  /**
   * Starts configuring a provider: set either {@link Builder#client(FlagEdgeClient)} or the
   * settings of a client for the provider to build and own.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the provider's metadata, named {@code flagedge}
   */
  @Override
  public Metadata getMetadata() {
    return METADATA;
  }

  /**
   * Starts the client if the provider builds it (waiting up to the startup timeout for its first
   * document) and subscribes to its events. Called by the OpenFeature SDK.
   *
   * @param evaluationContext ignored
   * @throws ProviderNotReadyError if no document is being served yet; the provider emits {@code
   *     PROVIDER_READY} when one arrives
   * @throws IllegalStateException if the provider was shut down
   */
  @Override
  public void initialize(EvaluationContext evaluationContext) {
    FlagEdgeClient started;
    synchronized (lifecycle) {
      if (shutDown) {
        throw new IllegalStateException("provider is shut down; build a new one");
      }
      tracker.starting();
      started = client;
      if (started == null) {
        started = clientBuilder.build();
        client = started;
      }
      started.addListener(tracker); // tells the tracker the document being served, if any
      if (tracker.initialized()) {
        return;
      }
    }
    logger.log(Level.WARNING, "no flags document yet; provider not ready until one arrives");
    throw new ProviderNotReadyError("no flags document loaded yet");
  }

  /**
   * Stops emitting events, unsubscribes from the client, and closes the client if the provider
   * built it. Idempotent. Called by the OpenFeature SDK.
   */
  @Override
  public void shutdown() {
    synchronized (lifecycle) {
      if (shutDown) {
        return;
      }
      shutDown = true;
      tracker.stop();
      FlagEdgeClient current = client;
      if (current != null) {
        current.removeListener(tracker);
        if (clientBuilder != null) {
          current.close();
        }
      }
    }
    super.shutdown();
  }

  /**
   * Resolves a boolean: the feature's enabled state.
   *
   * @param key the feature name
   * @param defaultValue the value for errors
   * @param ctx the context; null counts as empty
   * @return the evaluation; errors are returned, never thrown
   * @throws NullPointerException if the key is null
   */
  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(
      String key, Boolean defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, (flag, fallback) -> resolver.booleanValue(flag));
  }

  /**
   * Resolves a string: the feature's value when it is a string. Parameters as for {@link
   * #getBooleanEvaluation}; the default also stands in for a disabled feature's missing value.
   */
  @Override
  public ProviderEvaluation<String> getStringEvaluation(
      String key, String defaultValue, EvaluationContext ctx) {
    return evaluate(
        key,
        defaultValue,
        ctx,
        (flag, fallback) -> resolver.typedValue(flag, fallback, OpenFeatureValues::toStringValue));
  }

  /**
   * Resolves an integer: the feature's value when it is, or a string holding, an exact {@code int}.
   * Parameters as for {@link #getStringEvaluation}.
   */
  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(
      String key, Integer defaultValue, EvaluationContext ctx) {
    return evaluate(
        key,
        defaultValue,
        ctx,
        (flag, fallback) -> resolver.typedValue(flag, fallback, OpenFeatureValues::toInteger));
  }

  /**
   * Resolves a double: the feature's value when it is, or a string holding, a finite number.
   * Parameters as for {@link #getStringEvaluation}.
   */
  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(
      String key, Double defaultValue, EvaluationContext ctx) {
    return evaluate(
        key,
        defaultValue,
        ctx,
        (flag, fallback) -> resolver.typedValue(flag, fallback, OpenFeatureValues::toDouble));
  }

  /**
   * Resolves an object: the feature's value when it is JSON object or array text (or a container
   * value); integers beyond the {@code int} range become doubles. Parameters as for {@link
   * #getStringEvaluation}; malformed JSON text gives {@code PARSE_ERROR}.
   */
  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(
      String key, Value defaultValue, EvaluationContext ctx) {
    return evaluate(
        key,
        defaultValue,
        ctx,
        (flag, fallback) -> resolver.typedValue(flag, fallback, OpenFeatureValues::toObject));
  }

  private <T> ProviderEvaluation<T> evaluate(
      String key,
      T defaultValue,
      EvaluationContext ctx,
      BiFunction<Flag, T, ProviderEvaluation<T>> resolve) {
    Objects.requireNonNull(key, "key");
    FlagEdgeClient current = client;
    if (current == null) {
      return FlagResolver.error(
          defaultValue, ErrorCode.PROVIDER_NOT_READY, "provider not initialized");
    }
    String targetingKey = ctx == null ? null : ctx.getTargetingKey();
    Flags flags =
        targetingKey == null || targetingKey.isBlank()
            ? current.environmentFlags()
            : current.identityFlags(targetingKey, Traits.of(ctx));
    Optional<Flag> flag = flags.flag(key);
    if (flag.isPresent()) {
      return resolve.apply(flag.get(), defaultValue);
    }
    return current.status().hasDocument()
        ? FlagResolver.error(defaultValue, ErrorCode.FLAG_NOT_FOUND, "no flag named " + key)
        : FlagResolver.error(
            defaultValue, ErrorCode.PROVIDER_NOT_READY, "no flags document loaded yet");
  }

  /**
   * Configures a {@link FlagEdgeProvider}. Set either {@link #client(FlagEdgeClient)} or exactly
   * one of {@link #serverKey(String)} and {@link #documentFile(Path)} (with optional client
   * settings). Setters validate at once and throw {@link IllegalArgumentException} naming the
   * setting; {@link #build()} checks the combination. Not thread-safe.
   */
  public static final class Builder {
    private FlagEdgeClient client;
    private FlagEdgeClient.Builder clientBuilder;
    private boolean hasServerKey;
    private boolean hasDocumentFile;
    private boolean returnValueForDisabledFlags = true;
    private boolean built;

    private Builder() {}

    /**
     * Evaluates through an existing client, which the provider neither starts nor closes: it
     * subscribes to the client's events on initialization and unsubscribes on shutdown. {@link
     * FlagEdgeProvider#initialize(EvaluationContext)} does not wait for the client's first
     * document. Several providers may share one client.
     *
     * @param client a running client
     * @return this builder
     */
    public Builder client(FlagEdgeClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Builds a client that polls this server-side key's environment from the Flagsmith API; see
     * {@link FlagEdgeClient.Builder#serverKey(String)}.
     *
     * @param serverKey a server-side key, starting with {@code ser.}
     * @return this builder
     * @throws IllegalArgumentException if the key is malformed
     */
    public Builder serverKey(String serverKey) {
      clientBuilder().serverKey(serverKey);
      hasServerKey = true;
      return this;
    }

    /**
     * The Flagsmith API base URL for {@link #serverKey(String)}; default the Flagsmith Edge API.
     *
     * @param apiUrl an absolute http(s) URL
     * @return this builder
     * @throws IllegalArgumentException if the URL is unusable
     */
    public Builder apiUrl(URI apiUrl) {
      clientBuilder().apiUrl(apiUrl);
      return this;
    }

    /**
     * Follows a realtime stream (Flagsmith's {@code https://realtime.flagsmith.com/}, or a FlagEdge
     * server), so a changed document is fetched, and {@code PROVIDER_CONFIGURATION_CHANGED}
     * emitted, as soon as it is announced; polling goes on as the fallback.
     *
     * @param url the realtime service's base URL
     * @return this builder
     * @throws IllegalArgumentException if it is not an absolute http(s) URL
     */
    public Builder realtimeUrl(URI url) {
      clientBuilder().realtimeUrl(url);
      return this;
    }

    /**
     * Builds a client that serves a local environment document, re-read when it changes.
     *
     * @param documentFile an environment document
     * @return this builder
     * @throws IllegalArgumentException if the file cannot be read or is not a valid document
     */
    public Builder documentFile(Path documentFile) {
      clientBuilder().documentFile(documentFile);
      hasDocumentFile = true;
      return this;
    }

    /**
     * How often the built client polls the API or checks the document file; default 10 seconds.
     *
     * @param pollInterval positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder pollInterval(Duration pollInterval) {
      clientBuilder().pollInterval(pollInterval);
      return this;
    }

    /**
     * How long initialization waits for the built client's first document; default 5 seconds.
     *
     * @param startupTimeout zero (do not wait) or positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder startupTimeout(Duration startupTimeout) {
      clientBuilder().startupTimeout(startupTimeout);
      return this;
    }

    /**
     * Whether a disabled feature resolves to its value (true, the default) or to the caller's
     * default (false, as Flagsmith's own OpenFeature providers do); the reason is {@code DISABLED}
     * either way. Booleans are unaffected: they are the enabled state.
     *
     * @param returnValue whether to return the value of disabled features
     * @return this builder
     */
    public Builder returnValueForDisabledFlags(boolean returnValue) {
      this.returnValueForDisabledFlags = returnValue;
      return this;
    }

    private FlagEdgeClient.Builder clientBuilder() {
      if (clientBuilder == null) {
        clientBuilder = FlagEdgeClient.builder();
      }
      return clientBuilder;
    }

    /**
     * Creates the provider; nothing starts until the SDK initializes it.
     *
     * @return a new provider
     * @throws IllegalStateException unless exactly one of a client, a server key and a document
     *     file is set; if client settings are combined with a client; or if this builder already
     *     built a provider
     */
    public FlagEdgeProvider build() {
      if (built) {
        throw new IllegalStateException("this builder already built a provider");
      }
      if (client != null && clientBuilder != null) {
        throw new IllegalStateException("client settings cannot be combined with client(…)");
      }
      if (client == null && hasServerKey == hasDocumentFile) {
        throw new IllegalStateException("set exactly one of client, serverKey and documentFile");
      }
      built = true;
      return new FlagEdgeProvider(this);
    }
  }
}
