package dev.operatorsetup.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.testkit.contract.PoliciesContract;
import dev.operatorsetup.testkit.moto.MotoServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Policies contract, against IAM on moto_server (AWS managed policies loaded, in every
 * partition: the IAM client signs for cn-north-1 and us-gov-west-1 there).
 */
class SdkIamPoliciesIT extends PoliciesContract {
  @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();

  private final MotoAws aws = new MotoAws(MOTO.server());

  @AfterEach
  void close() {
    aws.close();
  }

  @Override
  protected Policies policies(String region) {
    return aws.ports(region).policies();
  }

  @Override
  protected Arn seedPolicy(String name) {
    return aws.createPolicy(name);
  }
}
