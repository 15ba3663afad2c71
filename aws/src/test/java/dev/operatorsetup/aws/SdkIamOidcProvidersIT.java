package dev.operatorsetup.aws;

import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.testkit.contract.OidcProvidersContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OidcProviders contract, against IAM on moto_server. moto does not require https URLs nor
 * 40-hex thumbprints and answers success when deleting a missing provider; the adapter checks the
 * inputs and looks before deleting, so these tests run here too.
 */
class SdkIamOidcProvidersIT extends OidcProvidersContract {
  @RegisterExtension final MotoAws aws = MotoAws.perTest();

  @Override
  protected OidcProviders oidcProviders() {
    return aws.ports("us-west-2").oidcProviders();
  }

  @Override
  protected String accountId() {
    return aws.moto().accountId();
  }
}
