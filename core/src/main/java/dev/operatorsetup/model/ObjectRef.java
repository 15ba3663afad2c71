package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** Names one Kubernetes object: apiVersion, kind, namespace (if namespaced) and name. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableObjectRef.class)
@JsonDeserialize(as = ImmutableObjectRef.class)
public interface ObjectRef {
  String apiVersion();

  String kind();

  Optional<String> namespace();

  String name();

  /** Returns the API group, empty for the core group. */
  default String group() {
    int slash = apiVersion().indexOf('/');
    return slash < 0 ? "" : apiVersion().substring(0, slash);
  }

  /** Returns e.g. {@code Deployment sagemaker-k8s-operator-system/controller}. */
  default String display() {
    return kind() + " " + namespace().map(n -> n + "/").orElse("") + name();
  }

  static ObjectRef of(String apiVersion, String kind, String namespace, String name) {
    return new Builder()
        .apiVersion(apiVersion)
        .kind(kind)
        .namespace(Optional.ofNullable(namespace))
        .name(name)
        .build();
  }

  class Builder extends ImmutableObjectRef.Builder {}
}
