package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ManagedPolicy;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.testkit.Recorder;
import java.util.Optional;

/** IAM GetPolicy over the fake's managed policies. */
final class InMemoryPolicies implements Policies {
  private final AwsAccount aws;
  private final Recorder recorder;

  InMemoryPolicies(AwsAccount aws, Recorder recorder) {
    this.aws = aws;
    this.recorder = recorder;
  }

  @Override
  public Optional<ManagedPolicy> find(Arn arn) {
    return recorder.read(
        "GetPolicy",
        () -> {
          synchronized (aws) {
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
          }
        });
  }
}
