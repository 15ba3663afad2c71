package dev.operatorsetup.aws;

import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.testkit.contract.CallerIdentityContract;
import dev.operatorsetup.testkit.moto.MotoServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CallerIdentity contract, against STS on moto_server. */
class SdkStsCallerIdentityIT extends CallerIdentityContract {
  @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();

  private final MotoAws aws = new MotoAws(MOTO.server());

  @AfterEach
  void close() {
    aws.close();
  }

  @Override
  protected CallerIdentity callerIdentity() {
    return aws.ports("us-west-2").callerIdentity();
  }

  @Override
  protected String accountId() {
    return aws.moto().accountId();
  }
}
