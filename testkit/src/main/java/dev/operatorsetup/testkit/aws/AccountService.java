package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.testkit.Recorder;
import java.util.function.Supplier;

/**
 * One service of the fake account: each call goes through its {@link Recorder} (call log and
 * faults), then runs holding the account's lock, as one IAM, EKS or STS request would.
 */
abstract class AccountService {
  final AwsAccount aws;
  private final Recorder recorder;

  AccountService(AwsAccount aws, Recorder recorder) {
    this.aws = aws;
    this.recorder = recorder;
  }

  /** Records the read {@code operation}, then runs {@code action} under the account's lock. */
  final <T> T read(String operation, Supplier<T> action) {
    return recorder.read(operation, () -> locked(action));
  }

  /** Records the write {@code operation}, then runs {@code action} under the account's lock. */
  final <T> T write(String operation, Supplier<T> action) {
    return recorder.write(operation, () -> locked(action));
  }

  /** Records the write {@code operation}, then runs {@code action} under the account's lock. */
  final void write(String operation, Runnable action) {
    recorder.write(
        operation,
        () -> {
          synchronized (aws) {
            action.run();
          }
        });
  }

  private <T> T locked(Supplier<T> action) {
    synchronized (aws) {
      return action.get();
    }
  }
}
