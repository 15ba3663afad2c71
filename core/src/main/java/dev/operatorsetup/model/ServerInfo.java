package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Set;
import org.immutables.value.Value;

/** A Kubernetes API server's version and the API group versions it serves. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableServerInfo.class)
@JsonDeserialize(as = ImmutableServerInfo.class)
public interface ServerInfo {
  /** E.g. {@code v1.34.2}. */
  String gitVersion();

  /** Served group versions, e.g. {@code v1}, {@code apps/v1}, {@code apiextensions.k8s.io/v1}. */
  Set<String> groupVersions();

  default boolean serves(String groupVersion) {
    return groupVersions().contains(groupVersion);
  }

  class Builder extends ImmutableServerInfo.Builder {}
}
