package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.testkit.Recorder;
import java.util.Map;
import java.util.Optional;

/** EKS DescribeCluster over the clusters of one region of the fake. */
final class InMemoryClusters implements Clusters {
  private final AwsAccount aws;
  private final String region;
  private final Recorder recorder;

  InMemoryClusters(AwsAccount aws, String region, Recorder recorder) {
    this.aws = aws;
    this.region = region;
    this.recorder = recorder;
  }

  @Override
  public Optional<ClusterInfo> describe(String name) {
    return recorder.read(
        "DescribeCluster",
        () -> {
          synchronized (aws) {
            Map<String, ClusterInfo> inRegion = aws.clusters.get(region);
            return Optional.ofNullable(inRegion == null ? null : inRegion.get(name));
          }
        });
  }
}
