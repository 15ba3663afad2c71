package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** An EKS cluster by name and region. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableClusterRef.class)
@JsonDeserialize(as = ImmutableClusterRef.class)
public interface ClusterRef {
  String name();

  String region();

  /** Returns the partition that the region belongs to. */
  @Value.Derived
  @com.fasterxml.jackson.annotation.JsonIgnore
  default Partition partition() {
    return Partition.ofRegion(region());
  }

  @Value.Check
  default void check() {
    Rules.clusterName(name());
    Rules.region(region());
  }

  static ClusterRef of(String name, String region) {
    return new Builder().name(name).region(region).build();
  }

  class Builder extends ImmutableClusterRef.Builder {}
}
