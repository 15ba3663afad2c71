package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.model.AccountIdentity;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.testkit.Recorder;

/** STS GetCallerIdentity of the fake account: an IAM user named {@code operator-setup-test}. */
final class InMemoryCallerIdentity implements CallerIdentity {
  static final String USER_ID = "AIDAOPERATORSETUPTEST";

  private final AwsAccount aws;
  private final Partition partition;
  private final Recorder recorder;

  InMemoryCallerIdentity(AwsAccount aws, Partition partition, Recorder recorder) {
    this.aws = aws;
    this.partition = partition;
    this.recorder = recorder;
  }

  @Override
  public AccountIdentity get() {
    return recorder.read(
        "GetCallerIdentity",
        () -> {
          String account = aws.account();
          return new AccountIdentity.Builder()
              .account(account)
              .arn("arn:" + partition.id() + ":iam::" + account + ":user/operator-setup-test")
              .userId(USER_ID)
              .build();
        });
  }
}
