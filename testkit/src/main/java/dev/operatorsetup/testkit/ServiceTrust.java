package dev.operatorsetup.testkit;

import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.model.TrustStatement;
import java.util.List;

/**
 * Trust policies of a service principal, for tests that need a role whose trust names no OIDC
 * provider (so none has to exist).
 */
public final class ServiceTrust {
  private ServiceTrust() {}

  /** EC2 may assume the role ({@code sts:AssumeRole}). */
  public static TrustPolicy ec2() {
    return ec2("sts:AssumeRole");
  }

  /** EC2 may take {@code actions} on the role. */
  public static TrustPolicy ec2(String... actions) {
    return new TrustPolicy.Builder()
        .addStatement(
            new TrustStatement.Builder()
                .putPrincipal("Service", List.of("ec2.amazonaws.com"))
                .addActions(actions)
                .build())
        .build();
  }
}
