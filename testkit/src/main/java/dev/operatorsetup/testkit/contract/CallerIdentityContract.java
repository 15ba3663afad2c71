package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.model.AccountIdentity;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Rules;
import dev.operatorsetup.port.CallerIdentity;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CallerIdentity} shares with STS GetCallerIdentity. Subclasses say
 * which implementation to test and which account its credentials belong to.
 */
public abstract class CallerIdentityContract {
  /** Returns the port under test, with credentials of {@link #accountId()}. */
  protected abstract CallerIdentity callerIdentity();

  /** Returns the account the credentials belong to. */
  protected abstract String accountId();

  /** Returns the partition of the region the port was made for (default {@code aws}). */
  protected Partition partition() {
    return Partition.AWS;
  }

  @Test
  public void get_returnsTheAccountOfTheCredentials() {
    AccountIdentity identity = callerIdentity().get();

    assertThat(identity.account()).isEqualTo(accountId()).matches(Rules.ACCOUNT);
  }

  @Test
  public void get_returnsAnArnOfThatAccountInThePartition() {
    Arn arn = Arn.parse("caller ARN", callerIdentity().get().arn());

    assertThat(arn.partition()).isEqualTo(partition());
    assertThat(arn.service()).isIn("sts", "iam");
    assertThat(arn.account()).isEqualTo(accountId());
    assertThat(arn.resource()).isNotBlank();
  }

  @Test
  public void get_returnsAUserId() {
    assertThat(callerIdentity().get().userId()).isNotBlank();
  }

  @Test
  public void get_isStableAcrossCalls() {
    assertThat(callerIdentity().get()).isEqualTo(callerIdentity().get());
  }
}
