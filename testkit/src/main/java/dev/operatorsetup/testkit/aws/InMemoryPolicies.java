package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ManagedPolicy;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.testkit.Recorder;
import java.util.Optional;

/** IAM GetPolicy over the fake's managed policies. */
final class InMemoryPolicies extends AccountService implements Policies {

  InMemoryPolicies(AwsAccount aws, Recorder recorder) {
    super(aws, recorder);
  }

  @Override
  public Optional<ManagedPolicy> find(Arn arn) {
    return read(
        "GetPolicy",
        () -> {
          Boolean attachable = aws.policies.get(arn);
          if (attachable == null) {
            return Optional.empty();
          }
          return Optional.of(
              new ManagedPolicy.Builder()
                  .arn(arn)
                  .name(arn.resourceName())
                  .attachable(attachable)
                  .build());
        });
  }
}
