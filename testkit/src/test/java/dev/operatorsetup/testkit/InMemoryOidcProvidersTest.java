package dev.operatorsetup.testkit;

import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.testkit.contract.OidcProvidersContract;

class InMemoryOidcProvidersTest extends OidcProvidersContract {
  private final InMemoryAws aws = new InMemoryAws();

  @Override
  protected OidcProviders oidcProviders() {
    return aws.services("us-west-2").oidcProviders();
  }

  @Override
  protected String accountId() {
    return aws.account();
  }
}
