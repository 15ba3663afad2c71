package dev.operatorsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;

/** Assertions on the operator's IAM role in a {@link FakeWorld}. */
public final class RoleAssertions {
  private RoleAssertions() {}

  /**
   * Asserts that the role trusts {@code serviceAccount} through the cluster's issuer and has the
   * SageMaker policy, and only it, attached.
   */
  public static void assertRoleTrusts(
      FakeWorld world,
      ClusterInfo cluster,
      String region,
      String roleName,
      ServiceAccountRef serviceAccount) {
    Role role = world.aws().services(region).roles().find(roleName).orElseThrow();
    TrustPolicy expected =
        TrustPolicy.forServiceAccount(
            OidcIssuer.parse(cluster.issuer().get()),
            Partition.AWS,
            world.aws().account(),
            serviceAccount);
    assertThat(role.trustPolicy().sameAs(expected)).isTrue();
    assertThat(role.attachedPolicies())
        .containsExactly(Arn.parsePolicy("p", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"));
  }
}
