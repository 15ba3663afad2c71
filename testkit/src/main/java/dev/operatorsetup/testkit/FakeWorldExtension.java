package dev.operatorsetup.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method a fresh {@link FakeWorld} parameter.
 *
 * <pre>{@code
 * @ExtendWith(FakeWorldExtension.class)
 * class MyTest {
 *   @Test void installs(FakeWorld world) { ... }
 * }
 * }</pre>
 */
public final class FakeWorldExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FakeWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(
            ExtensionContext.Namespace.create(FakeWorldExtension.class, context.getUniqueId()))
        .getOrComputeIfAbsent("world", k -> new FakeWorld(), FakeWorld.class);
  }
}
