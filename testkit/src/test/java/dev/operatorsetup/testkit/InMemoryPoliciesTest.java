package dev.operatorsetup.testkit;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.testkit.contract.PoliciesContract;

class InMemoryPoliciesTest extends PoliciesContract {
  private final InMemoryAws aws = new InMemoryAws();

  @Override
  protected Policies policies(String region) {
    return aws.services(region).policies();
  }

  @Override
  protected Arn seedPolicy(String name) {
    Arn arn = Arn.of(Partition.AWS, "iam", "", aws.account(), "policy/" + name);
    aws.addPolicy(arn, true);
    return arn;
  }
}
