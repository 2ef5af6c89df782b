package dev.flagedge.testing;

import dev.flagedge.openfeature.FlagEdgeProvider;
import dev.flagedge.sync.FlagEdgeClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A Flagsmith environment for an application's tests: a real environment document held in memory,
 * served by a real {@link FlagEdgeClient} (and OpenFeature providers), evaluated by the production
 * engine, without a document file or network.
 *
 * <pre>{@code
 * try (TestEnvironment flags = TestEnvironment.create(doc -> doc
 *     .flag("new_checkout", false)
 *     .segment("beta", s -> s.where("plan", Operator.EQUAL, "beta"))
 *     .segmentOverride("beta", "new_checkout", true))) {
 *   Checkout checkout = new Checkout(flags.client());          // the code under test
 *   assertFalse(checkout.isNewFor("alice", Map.of("plan", "free")));
 *   flags.update(doc -> doc.flag("new_checkout", true));        // served when update returns
 *   assertTrue(checkout.isNewFor("alice", Map.of("plan", "free")));
 * }
 * }</pre>
 *
 * <p>{@link #update(Consumer)} changes the document and returns once the client serves the new one
 * and its listeners, OpenFeature providers included, have been told ({@code
 * PROVIDER_CONFIGURATION_CHANGED} is emitted by the SDK shortly after, on its own thread). An
 * update that changes nothing tells nobody. Each change moves the document's {@code updated_at}
 * forward.
 *
 * <p>Thread-safe; updates are applied one at a time. {@link #close()} closes the client.
 */
public final class TestEnvironment implements AutoCloseable {
  private final Object lock = new Object();
  private final FlagEdgeClient client;
  // Guarded by lock, except current, which the client's supplier reads.
  private TestDocument document;
  private volatile byte[] current;
  private Instant updatedAt;
  private boolean closed;

  private TestEnvironment(TestDocument document) {
    this.document = document;
    this.current = document.toJson();
    this.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    this.client = FlagEdgeClient.builder().documentSupplier(() -> current).build();
  }

  /**
   * An empty environment (no features, segments or overrides), keyed {@code test-environment}.
   *
   * @return a running environment
   */
  public static TestEnvironment create() {
    return create(document -> {});
  }

  /**
   * An environment written by the setup, starting empty.
   *
   * @param setup writes features, segments and overrides
   * @return a running environment
   * @throws IllegalArgumentException if the setup names a missing feature or segment, or gives an
   *     unsupported value
   */
  public static TestEnvironment create(Consumer<TestDocument> setup) {
    Objects.requireNonNull(setup, "setup");
    TestDocument document = TestDocument.empty();
    setup.accept(document);
    return new TestEnvironment(document);
  }

  /**
   * An environment from an exported document on the class path, such as a test resource; change
   * single flags with {@link #update(Consumer)}.
   *
   * @param resource the resource name, such as {@code "flags/environment.json"} (a leading {@code
   *     /} is ignored), looked up through the thread's context class loader
   * @return a running environment
   * @throws IllegalArgumentException if there is no such resource or it is not an environment
   *     document
   */
  public static TestEnvironment fromResource(String resource) {
    Objects.requireNonNull(resource, "resource");
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = TestEnvironment.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no class path resource: " + resource);
      }
      return new TestEnvironment(TestDocument.parse(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read class path resource " + resource, e);
    }
  }

  /**
   * An environment from an exported document file; change single flags with {@link
   * #update(Consumer)}. The file is read once.
   *
   * @param file an environment document
   * @return a running environment
   * @throws IllegalArgumentException if the file is not an environment document
   * @throws UncheckedIOException if the file cannot be read
   */
  public static TestEnvironment fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return new TestEnvironment(TestDocument.parse(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The client serving this environment; give it to the code under test. It stays open until {@link
   * #close()}.
   *
   * @return the client, the same for every call
   */
  public FlagEdgeClient client() {
    return client;
  }

  /**
   * A new OpenFeature provider evaluating through {@link #client()}; set it on the OpenFeature API
   * ({@code setProviderAndWait}). It is ready at once, emits {@code PROVIDER_CONFIGURATION_CHANGED}
   * for every update, and leaves the environment running when the SDK shuts it down. Each call
   * returns a new provider, as a provider cannot be initialized twice.
   *
   * @return a new provider
   */
  public FlagEdgeProvider openFeatureProvider() {
    return FlagEdgeProvider.builder().client(client).build();
  }

  /**
   * Changes the document and serves the result before returning. The change applies to a copy, so
   * one that throws changes nothing.
   *
   * @param change writes features, segments and overrides
   * @throws IllegalArgumentException if the change names a missing feature or segment, or gives an
   *     unsupported value
   * @throws IllegalStateException if this environment is closed
   */
  public void update(Consumer<TestDocument> change) {
    Objects.requireNonNull(change, "change");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("test environment is closed");
      }
      TestDocument next = document.copy();
      change.accept(next);
      if (Arrays.equals(next.toJson(), current)) {
        return;
      }
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      updatedAt = now.isAfter(updatedAt) ? now : updatedAt.plus(1, ChronoUnit.MICROS);
      next.updatedAt(updatedAt);
      document = next;
      current = next.toJson();
      client.refresh();
      if (client.status().consecutiveFailures() > 0) { // a bug here, not in the test
        throw new IllegalStateException(
            "the changed document was not served: " + client.status().lastError().orElse(""));
      }
    }
  }

  /**
   * The document being served, as JSON: what Flagsmith's {@code /api/v1/environment-document/}
   * would return. Useful to write a document file for a FlagEdge server under test.
   *
   * @return the UTF-8 JSON bytes, a fresh copy
   */
  public byte[] documentJson() {
    return current.clone();
  }

  /** Closes the client; the environment cannot be updated afterwards. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    client.close();
  }
}
