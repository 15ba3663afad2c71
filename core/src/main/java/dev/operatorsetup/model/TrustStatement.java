package dev.operatorsetup.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One statement of a trust policy. Single values and one-element lists mean the same to IAM, so
 * every value is held as a list; {@link TrustPolicy#toJson()} writes one-element lists as strings.
 */
@Value.Immutable
@ValueStyle
public interface TrustStatement {
  Optional<String> sid();

  @Value.Default
  default String effect() {
    return "Allow";
  }

  /** Principal type ({@code Federated}, {@code AWS}, {@code Service}) to its values. */
  Map<String, List<String>> principal();

  List<String> actions();

  /** Condition operator ({@code StringEquals}) to condition key to values. */
  Map<String, Map<String, List<String>>> conditions();

  class Builder extends ImmutableTrustStatement.Builder {}
}
