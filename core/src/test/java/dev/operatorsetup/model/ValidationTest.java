package dev.operatorsetup.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every value checks AWS's and Kubernetes' rules; each error names field, value, rule, fix. */
class ValidationTest {

  static Stream<Arguments> badValues() {
    String long65 = "r".repeat(65);
    return Stream.of(
        Arguments.of(
            "role name", long65, (ThrowingCallable) () -> Rules.roleName("role name", long65)),
        Arguments.of(
            "role name",
            "has space",
            (ThrowingCallable) () -> Rules.roleName("role name", "has space")),
        Arguments.of("role name", "", (ThrowingCallable) () -> Rules.roleName("role name", "")),
        Arguments.of(
            "role name",
            "slash/no",
            (ThrowingCallable) () -> Rules.roleName("role name", "slash/no")),
        Arguments.of(
            "cluster name",
            "-starts-with-dash",
            (ThrowingCallable) () -> Rules.clusterName("-starts-with-dash")),
        Arguments.of(
            "cluster name",
            "c".repeat(101),
            (ThrowingCallable) () -> Rules.clusterName("c".repeat(101))),
        Arguments.of(
            "cluster name",
            "dots.not.allowed",
            (ThrowingCallable) () -> Rules.clusterName("dots.not.allowed")),
        Arguments.of("region", "us-east", (ThrowingCallable) () -> Rules.region("us-east")),
        Arguments.of("region", "US-EAST-1", (ThrowingCallable) () -> Rules.region("US-EAST-1")),
        Arguments.of(
            "region", "mars-north-1", (ThrowingCallable) () -> Rules.region("mars-north-1")),
        Arguments.of(
            "region", "us-isob-east-1", (ThrowingCallable) () -> Rules.region("us-isob-east-1")),
        Arguments.of(
            "namespace", "Upper", (ThrowingCallable) () -> Rules.namespace("namespace", "Upper")),
        Arguments.of(
            "namespace",
            "n".repeat(64),
            (ThrowingCallable) () -> Rules.namespace("namespace", "n".repeat(64))),
        Arguments.of(
            "namespace", "ends-", (ThrowingCallable) () -> Rules.namespace("namespace", "ends-")),
        Arguments.of(
            "service account name",
            "under_score",
            (ThrowingCallable) () -> Rules.objectName("service account name", "under_score")),
        Arguments.of(
            "service account name",
            "a".repeat(254),
            (ThrowingCallable) () -> Rules.objectName("service account name", "a".repeat(254))),
        Arguments.of(
            "account", "12345", (ThrowingCallable) () -> Rules.account("account", "12345")),
        Arguments.of(
            "policy ARN",
            "AmazonSageMakerFullAccess",
            (ThrowingCallable) () -> Arn.parsePolicy("policy ARN", "AmazonSageMakerFullAccess")),
        Arguments.of(
            "policy ARN",
            "arn:aws:iam::aws:role/AmazonSageMakerFullAccess",
            (ThrowingCallable)
                () ->
                    Arn.parsePolicy(
                        "policy ARN", "arn:aws:iam::aws:role/AmazonSageMakerFullAccess")),
        Arguments.of(
            "policy ARN",
            "arn:aws-xx:iam::aws:policy/P",
            (ThrowingCallable) () -> Arn.parsePolicy("policy ARN", "arn:aws-xx:iam::aws:policy/P")),
        Arguments.of(
            "policy ARN",
            "arn:aws:s3:::bucket",
            (ThrowingCallable) () -> Arn.parsePolicy("policy ARN", "arn:aws:s3:::bucket")),
        Arguments.of(
            "policy ARN",
            "arn:aws:iam::12:policy/P",
            (ThrowingCallable) () -> Arn.parsePolicy("policy ARN", "arn:aws:iam::12:policy/P")),
        Arguments.of(
            "role ARN",
            "arn:aws:iam::aws:role/x",
            (ThrowingCallable) () -> Arn.parseRole("role ARN", "arn:aws:iam::aws:role/x")),
        Arguments.of(
            "OIDC issuer",
            "http://oidc.eks.us-east-1.amazonaws.com/id/X",
            (ThrowingCallable)
                () -> OidcIssuer.parse("http://oidc.eks.us-east-1.amazonaws.com/id/X")),
        Arguments.of(
            "OIDC issuer",
            "https://host/id/X?q=1",
            (ThrowingCallable) () -> OidcIssuer.parse("https://host/id/X?q=1")),
        Arguments.of(
            "OIDC issuer",
            "oidc.eks.us-east-1.amazonaws.com/id/X",
            (ThrowingCallable) () -> OidcIssuer.parse("oidc.eks.us-east-1.amazonaws.com/id/X")),
        Arguments.of(
            "role path",
            "no-slashes",
            (ThrowingCallable) () -> new RoleSpec.Builder().name("r").path("no-slashes").build()),
        Arguments.of(
            "max session duration",
            "60s",
            (ThrowingCallable)
                () -> new RoleSpec.Builder().name("r").maxSessionDurationSeconds(60).build()),
        Arguments.of(
            "role tag key",
            "aws:reserved",
            (ThrowingCallable)
                () -> new RoleSpec.Builder().name("r").putTag("aws:reserved", "v").build()),
        Arguments.of(
            "role tag value",
            "bad#value",
            (ThrowingCallable)
                () -> new RoleSpec.Builder().name("r").putTag("k", "bad#value").build()),
        Arguments.of(
            "inline policy 'p'",
            "{}",
            (ThrowingCallable)
                () -> new RoleSpec.Builder().name("r").putInlinePolicy("p", "{}").build()),
        Arguments.of(
            "inline policy name",
            "bad name",
            (ThrowingCallable)
                () ->
                    new RoleSpec.Builder()
                        .name("r")
                        .putInlinePolicy("bad name", "{\"Statement\":[]}")
                        .build()),
        Arguments.of(
            "role description",
            "a\u0001b",
            (ThrowingCallable)
                () -> new RoleSpec.Builder().name("r").description("a\u0001b").build()));
  }

  @ParameterizedTest(name = "{0} ''{1}''")
  @MethodSource("badValues")
  void rejectsWithFieldValueRuleAndFix(String field, String value, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(InvalidConfigurationException.class)
        .satisfies(
            e -> {
              InvalidConfigurationException ice = (InvalidConfigurationException) e;
              assertThat(ice.field()).isEqualTo(field);
              assertThat(ice.getMessage())
                  .startsWith("Invalid " + field)
                  .contains("Fix: ")
                  .doesNotContain("Exception")
                  .doesNotContain("\tat ");
              String shown = InvalidConfigurationException.class.getName().isEmpty() ? "" : value;
              assertThat(ice.getMessage())
                  .contains(shown.length() > 100 ? shown.substring(0, 50) : shown);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"eks-sagemaker-operator", "a", "A+b=c,d.e@f_g-h", "eks-fsx-cluster-role"})
  void acceptsValidRoleNames(String name) {
    assertThat(Rules.roleName("role name", name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "us-east-1",
        "eu-central-2",
        "cn-northwest-1",
        "us-gov-west-1",
        "ap-southeast-5",
        "il-central-1"
      })
  void acceptsRealRegions(String region) {
    assertThat(Rules.region(region)).isEqualTo(region);
  }

  @Test
  void partitionsFollowTheRegion() {
    assertThat(Partition.ofRegion("us-east-1")).isEqualTo(Partition.AWS);
    assertThat(Partition.ofRegion("cn-northwest-1")).isEqualTo(Partition.AWS_CN);
    assertThat(Partition.ofRegion("us-gov-east-1")).isEqualTo(Partition.AWS_US_GOV);
    assertThat(Partition.AWS_CN.dnsSuffix()).isEqualTo("amazonaws.com.cn");
    assertThat(Partition.AWS_US_GOV.globalRegion()).isEqualTo("us-gov-west-1");
  }

  @Test
  void issuerGivesHostPathIdAndProviderArn() {
    OidcIssuer issuer = OidcIssuer.parse("https://oidc.eks.us-east-1.amazonaws.com/id/ABC/");
    assertThat(issuer.hostAndPath()).isEqualTo("oidc.eks.us-east-1.amazonaws.com/id/ABC");
    assertThat(issuer.id()).isEqualTo("ABC");
    assertThat(issuer.port()).isEqualTo(443);
    assertThat(issuer.providerArn(Partition.AWS_CN, "123456789012").toString())
        .isEqualTo(
            "arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC");
  }

  @Test
  void issuerWithAPortKeepsItInTheProviderName() {
    OidcIssuer issuer = OidcIssuer.parse("https://127.0.0.1:16443");
    assertThat(issuer.hostAndPath()).isEqualTo("127.0.0.1:16443");
    assertThat(issuer.port()).isEqualTo(16443);
  }

  @Test
  void arnRoundTrips() {
    Arn arn = Arn.parseRole("role ARN", "arn:aws-us-gov:iam::123456789012:role/ops/operator");
    assertThat(arn.partition()).isEqualTo(Partition.AWS_US_GOV);
    assertThat(arn.resourceName()).isEqualTo("operator");
    assertThat(arn.toString()).isEqualTo("arn:aws-us-gov:iam::123456789012:role/ops/operator");
  }

  @Test
  void roleSpecDefaultsAndArn() {
    RoleSpec spec = new RoleSpec.Builder().name("op").path("/team/").build();
    assertThat(spec.arn(Partition.AWS, "123456789012").toString())
        .isEqualTo("arn:aws:iam::123456789012:role/team/op");
    assertThat(RoleSpec.defaultPolicy(Partition.AWS_CN).toString())
        .isEqualTo("arn:aws-cn:iam::aws:policy/AmazonSageMakerFullAccess");
  }

  @Test
  void tooManyPoliciesIsRefused() {
    RoleSpec.Builder b = new RoleSpec.Builder().name("r");
    for (int i = 0; i < 21; i++) {
      b.addManagedPolicyArn(Arn.parsePolicy("policy ARN", "arn:aws:iam::aws:policy/P" + i));
    }
    assertThatThrownBy(b::build).hasMessageContaining("at most 20");
  }

  @Test
  void serviceAccountSubject() {
    assertThat(ServiceAccountRef.operatorDefault().subject())
        .isEqualTo(
            "system:serviceaccount:sagemaker-k8s-operator-system:sagemaker-k8s-operator-default");
  }

  @Test
  void ownershipTags() {
    Map<String, String> tags = Tags.ownership(ClusterRef.of("c", "us-east-1"));
    assertThat(Tags.isOurs(tags)).isTrue();
    assertThat(Tags.isOurs(Map.of("app.kubernetes.io/managed-by", "eksctl"))).isFalse();
  }
}
