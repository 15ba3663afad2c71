package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** An IAM role as it exists, with its trust policy and policies. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableRole.class)
@JsonDeserialize(as = ImmutableRole.class)
public interface Role {
  String name();

  Arn arn();

  @Value.Default
  default String path() {
    return "/";
  }

  TrustPolicy trustPolicy();

  List<Arn> attachedPolicies();

  /** Inline policy documents by name, as JSON. */
  Map<String, String> inlinePolicies();

  Map<String, String> tags();

  Optional<String> description();

  Optional<Integer> maxSessionDurationSeconds();

  Optional<Arn> permissionsBoundary();

  class Builder extends ImmutableRole.Builder {}
}
