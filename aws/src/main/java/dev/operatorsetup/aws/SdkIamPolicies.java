package dev.operatorsetup.aws;

import dev.operatorsetup.Loggers;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ManagedPolicy;
import dev.operatorsetup.port.Policies;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Policy;

/** {@link Policies} over IAM GetPolicy. */
final class SdkIamPolicies implements Policies {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.AWS);

  private final IamClient iam;

  SdkIamPolicies(IamClient iam) {
    this.iam = iam;
  }

  @Override
  public Optional<ManagedPolicy> find(Arn arn) {
    Policy policy;
    try {
      policy = iam.getPolicy(r -> r.policyArn(arn.toString())).policy();
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        LOG.debug("call=iam:GetPolicy policy={} found=false", arn);
        return Optional.empty();
      }
      throw AwsErrors.map("iam:GetPolicy", "IAM policy " + arn, e);
    }
    LOG.debug("call=iam:GetPolicy policy={} found=true", arn);
    return Optional.of(
        new ManagedPolicy.Builder()
            .arn(arn)
            .name(policy.policyName() != null ? policy.policyName() : arn.resourceName())
            .attachable(policy.isAttachable() == null || policy.isAttachable())
            .build());
  }
}
