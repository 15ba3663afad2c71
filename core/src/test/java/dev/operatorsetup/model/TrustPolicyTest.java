package dev.operatorsetup.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustPolicyTest {
  private static final OidcIssuer SEED_ISSUER =
      OidcIssuer.parse(
          "https://oidc.eks.us-east-1.amazonaws.com/id/3A12CB18E75BD1133D141F6C7B5FB266");

  private static String seedTrustJson() throws Exception {
    try (InputStream in = TrustPolicyTest.class.getResourceAsStream("/seed/trust.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static TrustPolicy seedPolicy() {
    return TrustPolicy.forServiceAccount(
        SEED_ISSUER, Partition.AWS, "012345678910", ServiceAccountRef.operatorDefault());
  }

  @Test
  void rendersTheSeedTrustJsonByteForByte() throws Exception {
    assertThat(seedPolicy().toJson()).isEqualTo(seedTrustJson());
  }

  @Test
  void parsesTheSeedTrustJsonBackToTheSamePolicy() throws Exception {
    TrustPolicy parsed = TrustPolicy.parse(seedTrustJson());
    assertThat(parsed).isEqualTo(seedPolicy());
    assertThat(parsed.sameAs(seedPolicy())).isTrue();
  }

  @Test
  void parsesTheUrlEncodedFormIamReturns() throws Exception {
    String encoded = URLEncoder.encode(seedPolicy().toCompactJson(), StandardCharsets.UTF_8);
    assertThat(encoded).startsWith("%7B");
    assertThat(TrustPolicy.parse(encoded).sameAs(seedPolicy())).isTrue();
  }

  @Test
  void comparesSemanticallyIgnoringKeyOrderWhitespaceAndListForm() {
    String reordered =
        "{ \"Statement\": [ { \"Condition\": { \"StringEquals\": {"
            + " \"oidc.eks.us-east-1.amazonaws.com/id/3A12CB18E75BD1133D141F6C7B5FB266:sub\":"
            + " [\"system:serviceaccount:sagemaker-k8s-operator-system:sagemaker-k8s-operator-default\"],"
            + " \"oidc.eks.us-east-1.amazonaws.com/id/3A12CB18E75BD1133D141F6C7B5FB266:aud\":"
            + " \"sts.amazonaws.com\" } }, \"Action\": [\"sts:AssumeRoleWithWebIdentity\"],"
            + " \"Principal\": { \"Federated\":"
            + " \"arn:aws:iam::012345678910:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/3A12CB18E75BD1133D141F6C7B5FB266\""
            + " }, \"Effect\": \"Allow\" } ], \"Version\": \"2012-10-17\" }";
    assertThat(TrustPolicy.parse(reordered).sameAs(seedPolicy())).isTrue();
  }

  @Test
  void aStaleOidcIdIsADifferentPolicy() {
    TrustPolicy stale =
        TrustPolicy.forServiceAccount(
            OidcIssuer.parse("https://oidc.eks.us-east-1.amazonaws.com/id/OLDOLDOLD"),
            Partition.AWS,
            "012345678910",
            ServiceAccountRef.operatorDefault());
    assertThat(stale.sameAs(seedPolicy())).isFalse();
  }

  @Test
  void aDifferentServiceAccountIsADifferentPolicy() {
    TrustPolicy other =
        TrustPolicy.forServiceAccount(
            SEED_ISSUER, Partition.AWS, "012345678910", ServiceAccountRef.of("ns", "other"));
    assertThat(other.sameAs(seedPolicy())).isFalse();
  }

  @Test
  void usesThePartitionButKeepsTheAudienceInChina() {
    OidcIssuer issuer = OidcIssuer.parse("https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC");
    TrustPolicy china =
        TrustPolicy.forServiceAccount(
            issuer, Partition.AWS_CN, "123456789012", ServiceAccountRef.operatorDefault());
    String json = china.toCompactJson();
    assertThat(json)
        .contains(
            "\"Federated\":\"arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC\"")
        .contains("\"oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC:aud\":\"sts.amazonaws.com\"")
        .doesNotContain("arn:aws:")
        .doesNotContain("sts.amazonaws.com.cn");
  }

  @Test
  void govCloudPrincipalUsesItsPartition() {
    OidcIssuer issuer = OidcIssuer.parse("https://oidc.eks.us-gov-west-1.amazonaws.com/id/XYZ");
    TrustPolicy gov =
        TrustPolicy.forServiceAccount(
            issuer, Partition.AWS_US_GOV, "123456789012", ServiceAccountRef.operatorDefault());
    assertThat(gov.statements().get(0).principal().get("Federated"))
        .containsExactly(
            "arn:aws-us-gov:iam::123456789012:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/XYZ");
  }

  @Test
  void multiValueListsRenderAsArrays() {
    TrustPolicy p =
        new TrustPolicy.Builder()
            .addStatement(
                new TrustStatement.Builder()
                    .putPrincipal("Service", List.of("a.amazonaws.com", "b.amazonaws.com"))
                    .addAction("sts:AssumeRole")
                    .build())
            .build();
    assertThat(p.toCompactJson())
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Service\":[\"a.amazonaws.com\",\"b.amazonaws.com\"]},\"Action\":\"sts:AssumeRole\"}]}");
  }

  @Test
  void rejectsADocumentWithoutStatement() {
    assertThatThrownBy(() -> TrustPolicy.parse("{\"Version\":\"2012-10-17\"}"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("trust policy")
        .hasMessageContaining("no Statement");
  }

  @Test
  void rejectsText() {
    assertThatThrownBy(() -> TrustPolicy.parse("not json"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Fix:");
  }
}
