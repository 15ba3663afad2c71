package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ManagedPolicy;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.port.Policies;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link Policies} shares with IAM GetPolicy. */
public abstract class PoliciesContract {
  /** Returns the port under test for a region (IAM itself is global to the partition). */
  protected abstract Policies policies(String region);

  /**
   * Creates an attachable customer managed policy in the {@code aws} partition; returns its ARN.
   */
  protected abstract Arn seedPolicy(String name);

  /** Returns a name no earlier test used. */
  protected static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  public void find_amazonSageMakerFullAccess_existsAndIsAttachable() {
    Arn arn = RoleSpec.defaultPolicy(Partition.AWS);

    ManagedPolicy policy = policies("us-east-1").find(arn).orElseThrow();

    assertThat(policy.arn()).isEqualTo(arn);
    assertThat(policy.name()).isEqualTo("AmazonSageMakerFullAccess");
    assertThat(policy.attachable()).isTrue();
  }

  @Test
  public void find_amazonSageMakerFullAccess_existsInEveryPartition() {
    assertThat(policies("cn-north-1").find(RoleSpec.defaultPolicy(Partition.AWS_CN)))
        .hasValueSatisfying(p -> assertThat(p.arn().partition()).isEqualTo(Partition.AWS_CN));
    assertThat(policies("us-gov-west-1").find(RoleSpec.defaultPolicy(Partition.AWS_US_GOV)))
        .hasValueSatisfying(p -> assertThat(p.arn().partition()).isEqualTo(Partition.AWS_US_GOV));
  }

  @Test
  public void find_unknownPolicy_isEmpty() {
    Arn missing = Arn.of(Partition.AWS, "iam", "", "aws", "policy/" + uniqueName("NoSuchPolicy"));

    assertThat(policies("us-east-1").find(missing)).isEmpty();
  }

  @Test
  public void find_customerManagedPolicy_returnsItsNameAndIsAttachable() {
    String name = uniqueName("operator-extra");
    Arn arn = seedPolicy(name);

    ManagedPolicy policy = policies("us-east-1").find(arn).orElseThrow();

    assertThat(policy.name()).isEqualTo(name);
    assertThat(policy.arn()).isEqualTo(arn);
    assertThat(policy.attachable()).isTrue();
  }
}
