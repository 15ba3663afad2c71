package dev.operatorsetup.testkit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.port.SageMakerKind;
import dev.operatorsetup.port.SageMakerResources;
import dev.operatorsetup.testkit.contract.CallerIdentityContract;
import dev.operatorsetup.testkit.contract.ClustersContract;
import dev.operatorsetup.testkit.contract.OidcProvidersContract;
import dev.operatorsetup.testkit.contract.PoliciesContract;
import dev.operatorsetup.testkit.contract.RolesContract;
import dev.operatorsetup.testkit.contract.SageMakerResourcesContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
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

  /**
   * The SageMakerResources contract, against the fake: a create request is put as the Describe
   * output SageMaker would make of it, with the ARN SageMaker gives it (the name lower-cased).
   */
  @Nested
  class SageMakerTest extends SageMakerResourcesContract {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected SageMakerResources sageMaker(String region) {
      return aws.services(region).sageMaker();
    }

    @Override
    protected void seed(SageMakerKind kind, String createRequestJson) {
      Map<String, Object> output;
      try {
        output = json.readValue(createRequestJson, new TypeReference<Map<String, Object>>() {});
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String name = (String) output.get(kind.nameMember());
      String type = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
      output.remove("Tags");
      output.put(
          kind.nameMember().replaceFirst("Name$", "Arn"),
          "arn:aws:sagemaker:"
              + REGION
              + ":"
              + aws.account()
              + ":"
              + type
              + "/"
              + name.toLowerCase(Locale.ROOT));
      aws.putSageMaker(REGION, kind, output);
    }

    @Override
    protected CallLog callLog() {
      return aws.log();
    }
  }
}
