package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.model.AccountIdentity;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.testkit.Recorder;

/** STS GetCallerIdentity of the fake account: an IAM user named {@code operator-setup-test}. */
final class InMemoryCallerIdentity extends AccountService implements CallerIdentity {
  static final String USER_ID = "AIDAOPERATORSETUPTEST";

  private final Partition partition;

  InMemoryCallerIdentity(AwsAccount aws, Partition partition, Recorder recorder) {
    super(aws, recorder);
    this.partition = partition;
  }

  @Override
  public AccountIdentity get() {
    return read(
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
