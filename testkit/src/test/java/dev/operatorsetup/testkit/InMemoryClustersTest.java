package dev.operatorsetup.testkit;

import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.testkit.contract.ClustersContract;

class InMemoryClustersTest extends ClustersContract {
  private final InMemoryAws aws = new InMemoryAws();

  @Override
  protected Clusters clusters(String region) {
    return aws.services(region).clusters();
  }

  @Override
  protected ClusterInfo seedCluster(String region, String name, String issuerUrl) {
    return aws.addCluster(region, name, issuerUrl);
  }

  @Override
  protected String accountId() {
    return aws.account();
  }
}
