package dev.operatorsetup.testkit.plane;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 glue for {@link ControlPlane}: before the class it obtains the plane (starting it if
 * needed); if there is none it fails the class when {@code CI=true} and otherwise skips it with the
 * reason printed to standard error, never passing silently. Resolves {@link ControlPlane}
 * parameters.
 */
public final class ControlPlaneExtension implements BeforeAllCallback, ParameterResolver {
  @Override
  public void beforeAll(ExtensionContext context) {
    check(context.getDisplayName(), System.getenv());
  }

  static void check(String testClass, Map<String, String> env) {
    try {
      ControlPlane.obtain();
    } catch (ControlPlaneUnavailableException e) {
      throw unavailable(testClass, e.getMessage(), env);
    }
  }

  static RuntimeException unavailable(String testClass, String reason, Map<String, String> env) {
    if ("true".equalsIgnoreCase(env.getOrDefault("CI", ""))) {
      return new IllegalStateException(
          testClass + " needs the local control plane and CI=true, so this fails: " + reason);
    }
    System.err.println("[operator-setup] SKIPPED " + testClass + ": " + reason);
    try {
      Assumptions.abort(testClass + " skipped, no local control plane: " + reason);
    } catch (RuntimeException aborted) {
      return aborted;
    }
    throw new AssertionError("Assumptions.abort returned");
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return ControlPlane.obtain();
  }
}
