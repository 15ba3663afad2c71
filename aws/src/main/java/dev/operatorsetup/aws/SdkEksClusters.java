package dev.operatorsetup.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.Clusters;
import java.util.Optional;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;

/** {@link Clusters} over EKS DescribeCluster. */
final class SdkEksClusters implements Clusters {

  private final EksClient eks;
  private final String region;

  SdkEksClusters(EksClient eks, String region) {
    this.eks = eks;
    this.region = region;
  }

  @Override
  public Optional<ClusterInfo> describe(String name) {
    return AwsErrors.find(
            "eks:DescribeCluster",
            "cluster=" + name + " region=" + region,
            "EKS cluster '" + name + "' in " + region,
            () -> eks.describeCluster(r -> r.name(name)))
        .map(response -> toInfo(response.cluster()));
  }

  private static ClusterInfo toInfo(Cluster cluster) {
    ClusterInfo.Builder info =
        new ClusterInfo.Builder().name(cluster.name()).arn(Arn.parse("cluster ARN", cluster.arn()));
    if (cluster.identity() != null && cluster.identity().oidc() != null) {
      Optional.ofNullable(cluster.identity().oidc().issuer()).ifPresent(info::issuer);
    }
    Optional.ofNullable(cluster.version()).ifPresent(info::version);
    Optional.ofNullable(cluster.endpoint()).ifPresent(info::endpoint);
    if (cluster.certificateAuthority() != null) {
      Optional.ofNullable(cluster.certificateAuthority().data())
          .ifPresent(info::certificateAuthority);
    }
    Optional.ofNullable(cluster.statusAsString()).ifPresent(info::status);
    return info.build();
  }
}
