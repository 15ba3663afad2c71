package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.testkit.Recorder;
import java.util.Map;
import java.util.Optional;

/** EKS DescribeCluster over the clusters of one region of the fake. */
final class InMemoryClusters extends AccountService implements Clusters {
  private final String region;

  InMemoryClusters(AwsAccount aws, String region, Recorder recorder) {
    super(aws, recorder);
    this.region = region;
  }

  @Override
  public Optional<ClusterInfo> describe(String name) {
    return read(
        "DescribeCluster",
        () -> {
          Map<String, ClusterInfo> inRegion = aws.clusters.get(region);
          return Optional.ofNullable(inRegion == null ? null : inRegion.get(name));
        });
  }
}
