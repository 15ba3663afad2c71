package dev.operatorsetup.testkit;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.testkit.contract.RolesContract;
import java.util.List;
import java.util.Map;

class InMemoryRolesTest extends RolesContract {
  private final InMemoryAws aws = new InMemoryAws();

  @Override
  protected Roles roles() {
    return aws.services("us-west-2").roles();
  }

  @Override
  protected String accountId() {
    return aws.account();
  }

  @Override
  protected void seedOidcProvider(OidcIssuer issuer) {
    aws.services("us-west-2")
        .oidcProviders()
        .create(issuer.url(), List.of("sts.amazonaws.com"), List.of(), Map.of());
  }

  @Override
  protected Arn seedPolicy(String name) {
    Arn arn = Arn.of(Partition.AWS, "iam", "", aws.account(), "policy/" + name);
    aws.addPolicy(arn, true);
    return arn;
  }
}
