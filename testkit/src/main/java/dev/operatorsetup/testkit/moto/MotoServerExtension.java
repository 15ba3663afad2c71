package dev.operatorsetup.testkit.moto;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 glue for {@link MotoServer}: finds or starts the shared server before the test class and
 * resets it before each test. It injects {@link MotoServer} parameters.
 *
 * {@snippet :
 * class RolesIT {
 *   @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();
 *
 *   @Test void works() { URI endpoint = MOTO.server().endpoint(); }
 * }
 * }
 */
public final class MotoServerExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private final boolean resetBeforeEach;

  /** Creates the extension; it resets the server before each test. */
  public MotoServerExtension() {
    this(true);
  }

  /** Creates the extension; {@code resetBeforeEach=false} keeps state between tests. */
  public MotoServerExtension(boolean resetBeforeEach) {
    this.resetBeforeEach = resetBeforeEach;
  }

  /** Returns the shared server (skipping or failing the test if there is none). */
  public MotoServer server() {
    return MotoServer.shared();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    MotoServer.shared();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    MotoServer server = MotoServer.shared();
    if (resetBeforeEach) {
      server.reset();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MotoServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return MotoServer.shared();
  }
}
