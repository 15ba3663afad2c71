package dev.operatorsetup.port;

import dev.operatorsetup.model.ClusterInfo;
import java.util.Optional;

/** EKS clusters of one region (DescribeCluster). Implementations are thread-safe. */
public interface Clusters {
  /** Returns the cluster, or empty if no cluster of that name exists in the region. */
  Optional<ClusterInfo> describe(String name);
}
