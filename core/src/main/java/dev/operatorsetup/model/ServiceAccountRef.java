package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** A Kubernetes ServiceAccount by namespace and name. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableServiceAccountRef.class)
@JsonDeserialize(as = ImmutableServiceAccountRef.class)
public interface ServiceAccountRef {
  String DEFAULT_NAMESPACE = "sagemaker-k8s-operator-system";
  String DEFAULT_NAME = "sagemaker-k8s-operator-default";

  String namespace();

  String name();

  /** Returns the token subject: {@code system:serviceaccount:<namespace>:<name>}. */
  default String subject() {
    return "system:serviceaccount:" + namespace() + ":" + name();
  }

  @Value.Check
  default void check() {
    Rules.namespace("service account namespace", namespace());
    Rules.objectName("service account name", name());
  }

  static ServiceAccountRef of(String namespace, String name) {
    return new Builder().namespace(namespace).name(name).build();
  }

  /** Returns the operator's own ServiceAccount, as its installer names it. */
  static ServiceAccountRef operatorDefault() {
    return of(DEFAULT_NAMESPACE, DEFAULT_NAME);
  }

  class Builder extends ImmutableServiceAccountRef.Builder {}
}
