package dev.operatorsetup.aws;

import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.testkit.contract.ClustersContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Clusters contract, against EKS on moto_server; clusters are made with EKS CreateCluster,
 * their issuers set through the launcher's tag.
 */
class SdkEksClustersIT extends ClustersContract {
  @RegisterExtension final MotoAws aws = MotoAws.perTest();

  @Override
  protected Clusters clusters(String region) {
    return aws.ports(region).clusters();
  }

  @Override
  protected ClusterInfo seedCluster(String region, String name, String issuerUrl) {
    return aws.moto().createCluster(region, name, issuerUrl);
  }

  @Override
  protected String accountId() {
    return aws.moto().accountId();
  }
}
