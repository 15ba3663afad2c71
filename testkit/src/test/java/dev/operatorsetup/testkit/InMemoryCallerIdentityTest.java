package dev.operatorsetup.testkit;

import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.testkit.contract.CallerIdentityContract;

class InMemoryCallerIdentityTest extends CallerIdentityContract {
  private final InMemoryAws aws = new InMemoryAws();

  @Override
  protected CallerIdentity callerIdentity() {
    return aws.services("us-east-1").callerIdentity();
  }

  @Override
  protected String accountId() {
    return aws.account();
  }
}
