package dev.operatorsetup.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.testkit.contract.PoliciesContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Policies contract, against IAM on moto_server (AWS managed policies loaded, in every
 * partition: the IAM client signs for cn-north-1 and us-gov-west-1 there).
 */
class SdkIamPoliciesIT extends PoliciesContract {
  @RegisterExtension final MotoAws aws = MotoAws.perTest();

  @Override
  protected Policies policies(String region) {
    return aws.ports(region).policies();
  }

  @Override
  protected Arn seedPolicy(String name) {
    return aws.createPolicy(name);
  }
}
