package dev.operatorsetup.aws;

import dev.operatorsetup.Loggers;
import dev.operatorsetup.model.AccountIdentity;
import dev.operatorsetup.port.CallerIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** {@link CallerIdentity} over STS GetCallerIdentity. */
final class SdkStsCallerIdentity implements CallerIdentity {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.AWS);

  private final StsClient sts;

  SdkStsCallerIdentity(StsClient sts) {
    this.sts = sts;
  }

  @Override
  public AccountIdentity get() {
    GetCallerIdentityResponse response;
    try {
      response = sts.getCallerIdentity();
    } catch (SdkException e) {
      throw AwsErrors.map("sts:GetCallerIdentity", "the current credentials", e);
    }
    LOG.debug("call=sts:GetCallerIdentity account={}", response.account());
    return new AccountIdentity.Builder()
        .account(response.account())
        .arn(response.arn())
        .userId(response.userId())
        .build();
  }
}
