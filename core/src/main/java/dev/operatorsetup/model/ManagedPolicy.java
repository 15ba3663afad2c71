package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** An IAM managed policy. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableManagedPolicy.class)
@JsonDeserialize(as = ImmutableManagedPolicy.class)
public interface ManagedPolicy {
  Arn arn();

  String name();

  @Value.Default
  default boolean attachable() {
    return true;
  }

  class Builder extends ImmutableManagedPolicy.Builder {}
}
