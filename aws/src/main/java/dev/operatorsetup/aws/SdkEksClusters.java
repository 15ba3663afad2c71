package dev.operatorsetup.aws;

import dev.operatorsetup.Loggers;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.Clusters;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;

/** {@link Clusters} over EKS DescribeCluster. */
final class SdkEksClusters implements Clusters {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.AWS);

  private final EksClient eks;
  private final String region;

  SdkEksClusters(EksClient eks, String region) {
    this.eks = eks;
    this.region = region;
  }

  @Override
  public Optional<ClusterInfo> describe(String name) {
    Cluster cluster;
    try {
      cluster = eks.describeCluster(r -> r.name(name)).cluster();
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        LOG.debug("call=eks:DescribeCluster cluster={} region={} found=false", name, region);
        return Optional.empty();
      }
      throw AwsErrors.map("eks:DescribeCluster", "EKS cluster '" + name + "' in " + region, e);
    }
    LOG.debug("call=eks:DescribeCluster cluster={} region={} found=true", name, region);
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
    return Optional.of(info.build());
  }
}
