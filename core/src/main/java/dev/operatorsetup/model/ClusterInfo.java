package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/** An EKS cluster as DescribeCluster returns it. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableClusterInfo.class)
@JsonDeserialize(as = ImmutableClusterInfo.class)
public interface ClusterInfo {
  String name();

  Arn arn();

  /** The OIDC issuer URL; absent on clusters (or old CLIs) that do not report one. */
  Optional<String> issuer();

  Optional<String> version();

  Optional<String> endpoint();

  /** Base64 PEM of the cluster's certificate authority. */
  Optional<String> certificateAuthority();

  Optional<String> status();

  class Builder extends ImmutableClusterInfo.Builder {}
}
