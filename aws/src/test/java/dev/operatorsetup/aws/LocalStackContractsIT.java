package dev.operatorsetup.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.testkit.contract.CallerIdentityContract;
import dev.operatorsetup.testkit.contract.OidcProvidersContract;
import dev.operatorsetup.testkit.contract.PoliciesContract;
import dev.operatorsetup.testkit.contract.RolesContract;
import dev.operatorsetup.testkit.localstack.LocalStackAws;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The IAM and STS contract suites against LocalStack, for machines with Docker and a {@code
 * LOCALSTACK_AUTH_TOKEN}; skipped elsewhere, with the reason printed (this project's machines have
 * no Docker engine: the same suites run against moto_server in the other {@code *IT} classes). The
 * Clusters suite is left out: EKS is in LocalStack Pro only and its issuer cannot be chosen.
 * LocalStack's IAM wraps moto, so the Roles suite declares moto's gaps.
 */
@ExtendWith(LocalStackAws.Condition.class)
@Testcontainers(disabledWithoutDocker = true)
class LocalStackContractsIT {
  private static LocalStackContainer localStack;
  private static final Map<String, AwsPorts> PORTS = new HashMap<>();

  @BeforeAll
  static void start() {
    localStack = LocalStackAws.start();
  }

  @AfterAll
  static void stop() {
    PORTS.values().forEach(AwsPorts::close);
    PORTS.clear();
    if (localStack != null) {
      localStack.stop();
    }
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(localStack.getAccessKey(), localStack.getSecretKey()));
  }

  static synchronized AwsPorts ports(String region) {
    return PORTS.computeIfAbsent(
        region,
        r ->
            AwsPorts.builder()
                .region(r)
                .credentialsProvider(credentials())
                .endpointOverride(localStack.getEndpoint())
                .build());
  }

  static String account() {
    return ports(localStack.getRegion()).callerIdentity().get().account();
  }

  static Arn createPolicy(String name) {
    try (IamClient iam =
        IamClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials())
            .endpointOverride(localStack.getEndpoint())
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .build()) {
      return Arn.parsePolicy(
          "policy ARN",
          iam.createPolicy(b -> b.policyName(name).policyDocument(MotoAws.POLICY_DOCUMENT))
              .policy()
              .arn());
    }
  }

  @Nested
  class CallerIdentityOnLocalStack extends CallerIdentityContract {
    @Override
    protected CallerIdentity callerIdentity() {
      return ports(localStack.getRegion()).callerIdentity();
    }

    @Override
    protected String accountId() {
      return account();
    }
  }

  @Nested
  class OidcProvidersOnLocalStack extends OidcProvidersContract {
    @Override
    protected OidcProviders oidcProviders() {
      return ports(localStack.getRegion()).oidcProviders();
    }

    @Override
    protected String accountId() {
      return account();
    }
  }

  @Nested
  class RolesOnLocalStack extends RolesContract {
    @Override
    protected Roles roles() {
      return ports(localStack.getRegion()).roles();
    }

    @Override
    protected String accountId() {
      return account();
    }

    @Override
    protected Arn seedPolicy(String name) {
      return createPolicy(name);
    }

    @Override
    protected void seedOidcProvider(OidcIssuer issuer) {
      ports(localStack.getRegion())
          .oidcProviders()
          .create(issuer.url(), List.of("sts.amazonaws.com"), List.of(), Map.of());
    }

    @Override
    protected Set<Gap> gaps() {
      return EnumSet.of(
          Gap.CREATE_ROLE_ACCEPTS_INVALID_TRUST_POLICY,
          Gap.NO_QUOTA_ON_ATTACHED_POLICIES,
          Gap.TRUST_ACTIONS_DIFFER_FROM_IAM,
          Gap.TRUST_PRINCIPALS_NOT_CHECKED);
    }
  }

  @Nested
  class PoliciesOnLocalStack extends PoliciesContract {
    @Override
    protected Policies policies(String region) {
      return ports(region).policies();
    }

    @Override
    protected Arn seedPolicy(String name) {
      return createPolicy(name);
    }
  }
}
