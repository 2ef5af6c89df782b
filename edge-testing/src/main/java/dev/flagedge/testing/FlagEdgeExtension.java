package dev.flagedge.testing;

import dev.flagedge.sync.FlagEdgeClient;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension giving every test a fresh {@link TestEnvironment}, closed after the test.
 * Test methods (and {@code @BeforeEach} methods) may declare a {@link TestEnvironment} or {@link
 * FlagEdgeClient} parameter; a test registering the extension as an instance field can also use
 * {@link #environment()}.
 *
 * <pre>{@code
 * @ExtendWith(FlagEdgeExtension.class)            // an empty environment per test
 * class CheckoutTest {
 *   @Test
 *   void newCheckout_flagOn_used(TestEnvironment flags) {
 *     flags.update(doc -> doc.flag("new_checkout", true));
 *     assertTrue(new Checkout(flags.client()).isNew());
 *   }
 * }
 *
 * class BannerTest {
 *   @RegisterExtension                              // an instance field, not static
 *   FlagEdgeExtension flags = FlagEdgeExtension.fromResource("flags/environment.json");
 * }
 * }</pre>
 *
 * <p>JUnit (junit-jupiter-api) is not a dependency of this module; tests bring it. A registered
 * instance serves one test at a time.
 */
public final class FlagEdgeExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FlagEdgeExtension.class);

  private final Supplier<TestEnvironment> factory;
  private volatile TestEnvironment current;

  /** An empty environment per test, for {@code @ExtendWith(FlagEdgeExtension.class)}. */
  public FlagEdgeExtension() {
    this(TestEnvironment::create);
  }

  private FlagEdgeExtension(Supplier<TestEnvironment> factory) {
    this.factory = factory;
  }

  /**
   * An environment written by the setup, afresh for each test.
   *
   * @param setup writes features, segments and overrides; run once per test
   * @return the extension
   */
  public static FlagEdgeExtension create(Consumer<TestDocument> setup) {
    Objects.requireNonNull(setup, "setup");
    return new FlagEdgeExtension(() -> TestEnvironment.create(setup));
  }

  /**
   * An environment from an exported document on the class path, afresh for each test.
   *
   * @param resource the resource name; see {@link TestEnvironment#fromResource(String)}
   * @return the extension
   */
  public static FlagEdgeExtension fromResource(String resource) {
    Objects.requireNonNull(resource, "resource");
    return new FlagEdgeExtension(() -> TestEnvironment.fromResource(resource));
  }

  /**
   * The current test's environment.
   *
   * @return the environment
   * @throws IllegalStateException outside a test
   */
  public TestEnvironment environment() {
    TestEnvironment environment = current;
    if (environment == null) {
      throw new IllegalStateException("no test is running");
    }
    return environment;
  }

  /**
   * Creates the test's environment.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    TestEnvironment environment = factory.get();
    context.getStore(NAMESPACE).put(TestEnvironment.class, environment);
    current = environment;
  }

  /**
   * Closes the test's environment.
   *
   * @param context the test's context
   */
  @Override
  public void afterEach(ExtensionContext context) {
    TestEnvironment environment =
        context.getStore(NAMESPACE).remove(TestEnvironment.class, TestEnvironment.class);
    current = null;
    if (environment != null) {
      environment.close();
    }
  }

  /**
   * Whether the parameter is a {@link TestEnvironment} or a {@link FlagEdgeClient}.
   *
   * @param parameter the parameter
   * @param context the extension context
   * @return whether this extension supplies it
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestEnvironment.class || type == FlagEdgeClient.class;
  }

  /**
   * The test's environment, or its client.
   *
   * @param parameter the parameter
   * @param context the extension context
   * @return the environment or client
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestEnvironment environment =
        context.getStore(NAMESPACE).get(TestEnvironment.class, TestEnvironment.class);
    if (environment == null) {
      throw new IllegalStateException("FlagEdgeExtension supplies parameters of tests only");
    }
    return parameter.getParameter().getType() == FlagEdgeClient.class
        ? environment.client()
        : environment;
  }
}
