package dev.operatorsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.port.AwsServices;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the fake adds to the contract suites: recording, faults, probes and its own set-up API. */
class InMemoryAwsTest {
  private static final OidcIssuer ISSUER =
      OidcIssuer.parse(
          "https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF");

  private final InMemoryAws aws = new InMemoryAws();
  private final AwsServices services = aws.services("us-west-2");

  private RoleSpec spec(String name) {
    return new RoleSpec.Builder().name(name).build();
  }

  @Test
  void everyPortCall_isLoggedAsReadOrWriteOfItsService() {
    aws.addCluster("us-west-2", "c1", ISSUER.url());
    services.callerIdentity().get();
    services.clusters().describe("c1");
    services.thumbprints().of(ISSUER);
    services.roles().create(spec("r1"), ServiceTrust.ec2(), Map.of());
    services.roles().find("r1");
    services.policies().find(RoleSpec.defaultPolicy(Partition.AWS));

    assertThat(aws.log().calls())
        .extracting(CallLog.Call::toString)
        .containsExactly(
            "sts:GetCallerIdentity",
            "eks:DescribeCluster",
            "tls:GetCertificateChain",
            "iam:CreateRole (write)",
            "iam:GetRole",
            "iam:GetPolicy");
    assertThat(aws.log().writes("iam")).isEqualTo(1);
    assertThat(aws.log().reads("iam")).isEqualTo(2);
  }

  @Test
  void failBeforeWrite_leavesNoEffect_failAfterWrite_keepsTheEffect() {
    aws.faults().failBeforeWrite(1);
    assertThatThrownBy(() -> services.roles().create(spec("before"), ServiceTrust.ec2(), Map.of()))
        .isInstanceOf(InjectedFault.class);
    assertThat(aws.roleNames()).isEmpty();

    aws.faults().failAfterWrite(1);
    assertThatThrownBy(() -> services.roles().create(spec("after"), ServiceTrust.ec2(), Map.of()))
        .isInstanceOf(InjectedFault.class);
    assertThat(aws.roleNames()).containsExactly("after");
  }

  @Test
  void throttle_failsMatchingCallsWithARetryableError() {
    aws.faults().throttle(c -> c.operation().equals("GetCallerIdentity"), 1);

    assertThatThrownBy(() -> services.callerIdentity().get())
        .isInstanceOfSatisfying(InjectedFault.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(services.callerIdentity().get().account()).isEqualTo("123456789012");
  }

  @Test
  void thumbprint_isDeterministic40HexOfTheIssuerHost() {
    String first = services.thumbprints().of(ISSUER);

    assertThat(first).matches("[0-9a-f]{40}");
    assertThat(aws.services("eu-west-1").thumbprints().of(ISSUER)).isEqualTo(first);
    assertThat(services.thumbprints().of(OidcIssuer.parse("https://other.example.com/id/x")))
        .isNotEqualTo(first);
  }

  @Test
  void attachPolicy_nonAttachablePolicy_isNotFound() {
    Arn policy = Arn.of(Partition.AWS, "iam", "", "aws", "policy/aws-service-role/Linked");
    aws.addPolicy(policy, false);
    services.roles().create(spec("r1"), ServiceTrust.ec2(), Map.of());

    assertThat(services.policies().find(policy))
        .hasValueSatisfying(p -> assertThat(p.attachable()).isFalse());
    assertThatThrownBy(() -> services.roles().attachPolicy("r1", policy))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("not attachable");
  }

  @Test
  void attachPolicy_ofAnotherPartition_isNotFound() {
    services.roles().create(spec("r1"), ServiceTrust.ec2(), Map.of());

    assertThatThrownBy(
            () -> services.roles().attachPolicy("r1", RoleSpec.defaultPolicy(Partition.AWS_CN)))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void roleNames_areUniqueRegardlessOfCase_asInIam() {
    services.roles().create(spec("Operator"), ServiceTrust.ec2(), Map.of());

    assertThatThrownBy(
            () -> services.roles().create(spec("operator"), ServiceTrust.ec2(), Map.of()))
        .isInstanceOf(dev.operatorsetup.ResourceConflictException.class);
    assertThat(services.roles().find("OPERATOR"))
        .hasValueSatisfying(r -> assertThat(r.name()).isEqualTo("Operator"));
  }

  @Test
  void iamState_isSharedByRegions_clustersAreNot() {
    aws.addCluster("us-west-2", "c1", null);
    services.roles().create(spec("r1"), ServiceTrust.ec2(), Map.of());

    AwsServices other = aws.services("eu-west-1");
    assertThat(other.roles().find("r1")).isPresent();
    assertThat(other.clusters().describe("c1")).isEmpty();
  }

  @Test
  void setUpApi_addsAndRemovesClustersAndListsRolesAndProviders() {
    aws.account("210987654321");
    assertThat(aws.addCluster("cn-north-1", "c1", null).arn().toString())
        .isEqualTo("arn:aws-cn:eks:cn-north-1:210987654321:cluster/c1");
    aws.removeCluster("cn-north-1", "c1");
    assertThat(aws.services("cn-north-1").clusters().describe("c1")).isEmpty();

    services.roles().create(spec("r1"), ServiceTrust.ec2(), Map.of());
    Arn provider =
        services
            .oidcProviders()
            .create(ISSUER.url(), List.of("sts.amazonaws.com"), List.of(), Map.of())
            .arn();

    assertThat(aws.roleNames()).containsExactly("r1");
    assertThat(aws.providerArns()).containsExactly(provider);
    assertThat(provider.toString())
        .isEqualTo("arn:aws:iam::210987654321:oidc-provider/" + ISSUER.hostAndPath());
  }

  @Test
  void addCluster_twice_isRefused() {
    aws.addCluster("us-west-2", "c1", null);

    assertThatThrownBy(() -> aws.addCluster("us-west-2", "c1", null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sageMakerFullAccess_existsInEveryPartition() {
    for (String region : List.of("us-east-1", "cn-north-1", "us-gov-west-1")) {
      Partition p = Partition.ofRegion(region);
      assertThat(aws.services(region).policies().find(RoleSpec.defaultPolicy(p))).isPresent();
    }
  }
}
