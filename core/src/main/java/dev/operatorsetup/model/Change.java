package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/**
 * One resource and what was (or would be) done to it, e.g. {@code iam-role eks-sagemaker-operator
 * create}.
 */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableChange.class)
@JsonDeserialize(as = ImmutableChange.class)
public interface Change {
  /** E.g. {@code iam:role/name}, {@code kubernetes:Deployment ns/name}. */
  String resource();

  ChangeAction action();

  /** Why, in a few words: {@code trust policy differs}, {@code already up to date}. */
  String detail();

  static Change of(String resource, ChangeAction action, String detail) {
    return new Builder().resource(resource).action(action).detail(detail).build();
  }

  class Builder extends ImmutableChange.Builder {}
}
