package dev.operatorsetup.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ManagedPolicy;
import dev.operatorsetup.port.Policies;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Policy;

/** {@link Policies} over IAM GetPolicy. */
final class SdkIamPolicies implements Policies {
  private final IamClient iam;

  SdkIamPolicies(IamClient iam) {
    this.iam = iam;
  }

  @Override
  public Optional<ManagedPolicy> find(Arn arn) {
    return AwsErrors.find(
            "iam:GetPolicy",
            "policy=" + arn,
            "IAM policy " + arn,
            () -> iam.getPolicy(r -> r.policyArn(arn.toString())))
        .map(response -> toModel(arn, response.policy()));
  }

  private static ManagedPolicy toModel(Arn arn, Policy policy) {
    return new ManagedPolicy.Builder()
        .arn(arn)
        .name(policy.policyName() != null ? policy.policyName() : arn.resourceName())
        .attachable(policy.isAttachable() == null || policy.isAttachable())
        .build();
  }
}
