package dev.operatorsetup.aws;

import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.testkit.contract.CallerIdentityContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CallerIdentity contract, against STS on moto_server. */
class SdkStsCallerIdentityIT extends CallerIdentityContract {
  @RegisterExtension final MotoAws aws = MotoAws.perTest();

  @Override
  protected CallerIdentity callerIdentity() {
    return aws.ports("us-west-2").callerIdentity();
  }

  @Override
  protected String accountId() {
    return aws.moto().accountId();
  }
}
