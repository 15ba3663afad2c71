package dev.operatorsetup.testkit;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.testkit.contract.CallerIdentityContract;
import dev.operatorsetup.testkit.contract.ClustersContract;
import dev.operatorsetup.testkit.contract.OidcProvidersContract;
import dev.operatorsetup.testkit.contract.PoliciesContract;
import dev.operatorsetup.testkit.contract.RolesContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The AWS port contracts, against the in-memory fakes: one fresh fake account per test. */
class InMemoryAwsContractsTest {
  private final InMemoryAws aws = new InMemoryAws();

  /** Adds an attachable AWS-managed-style policy of this name to the fake account. */
  private Arn addPolicy(String name) {
    Arn arn = Arn.of(Partition.AWS, "iam", "", aws.account(), "policy/" + name);
    aws.addPolicy(arn, true);
    return arn;
  }

  @Nested
  class CallerIdentityTest extends CallerIdentityContract {
    @Override
    protected CallerIdentity callerIdentity() {
      return aws.services("us-east-1").callerIdentity();
    }

    @Override
    protected String accountId() {
      return aws.account();
    }
  }

  @Nested
  class OidcProvidersTest extends OidcProvidersContract {
    @Override
    protected OidcProviders oidcProviders() {
      return aws.services("us-west-2").oidcProviders();
    }

    @Override
    protected String accountId() {
      return aws.account();
    }
  }

  @Nested
  class RolesTest extends RolesContract {
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
      return addPolicy(name);
    }
  }

  @Nested
  class ClustersTest extends ClustersContract {
    @Override
    protected Clusters clusters(String region) {
      return aws.services(region).clusters();
    }

    @Override
    protected ClusterInfo seedCluster(String region, String name, String issuerUrl) {
      return aws.addCluster(region, name, issuerUrl);
    }

    @Override
    protected String accountId() {
      return aws.account();
    }
  }

  @Nested
  class PoliciesTest extends PoliciesContract {
    @Override
    protected Policies policies(String region) {
      return aws.services(region).policies();
    }

    @Override
    protected Arn seedPolicy(String name) {
      return addPolicy(name);
    }
  }
}
