package dev.operatorsetup.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link TrustPolicyLint}: the Federated principal is the cluster's provider, the
 * audience is {@code sts.amazonaws.com}, the subject is exactly the operator's ServiceAccount (no
 * {@code StringLike} or wildcards unless {@code allowWildcardSubject}), and every problem names the
 * fix.
 */
class TrustPolicyLintTest {
  static final String ACCOUNT = "012345678910";
  static final OidcIssuer ISSUER =
      OidcIssuer.parse(
          "https://oidc.eks.us-east-1.amazonaws.com/id/3A12CB18E75BD1133D141F6C7B5FB266");
  static final String HOST = ISSUER.hostAndPath();
  static final Arn PROVIDER = ISSUER.providerArn(Partition.AWS, ACCOUNT);
  static final ServiceAccountRef SA = ServiceAccountRef.operatorDefault();
  static final String SUB = SA.subject();

  private static List<String> lint(TrustPolicy policy) {
    return TrustPolicyLint.problems(policy, PROVIDER, ISSUER, SA, false);
  }

  private static List<String> lintAllowingWildcards(TrustPolicy policy) {
    return TrustPolicyLint.problems(policy, PROVIDER, ISSUER, SA, true);
  }

  /** A one-statement web-identity policy with this principal and condition block (JSON). */
  private static TrustPolicy policy(String federated, String condition) {
    return TrustPolicy.parse(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Federated\":\""
            + federated
            + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":"
            + condition
            + "}]}");
  }

  private static String equalsAudSub(String aud, String sub) {
    return "{\"StringEquals\":{\""
        + HOST
        + ":aud\":\""
        + aud
        + "\",\""
        + HOST
        + ":sub\":\""
        + sub
        + "\"}}";
  }

  private static String audAndLikeSub(String subPattern) {
    return "{\"StringEquals\":{\""
        + HOST
        + ":aud\":\"sts.amazonaws.com\"},\"StringLike\":{\""
        + HOST
        + ":sub\":\""
        + subPattern
        + "\"}}";
  }

  // ------------------------------------------------------------------ the right policy

  @Test
  void thePolicyInstallWritesHasNoProblem() {
    TrustPolicy right = TrustPolicy.forServiceAccount(ISSUER, Partition.AWS, ACCOUNT, SA);
    assertThat(lint(right)).isEmpty();
    assertThat(lintAllowingWildcards(right)).isEmpty();
  }

  @Test
  void theRightPolicyWrittenByHandHasNoProblem() {
    assertThat(lint(policy(PROVIDER.toString(), equalsAudSub("sts.amazonaws.com", SUB)))).isEmpty();
  }

  // ------------------------------------------------------------------ principal

  @Test
  void aFederatedPrincipalOfAnotherProviderIsRefused() {
    OidcIssuer old = OidcIssuer.parse("https://oidc.eks.us-east-1.amazonaws.com/id/OLDCLUSTER");
    TrustPolicy stale = TrustPolicy.forServiceAccount(old, Partition.AWS, ACCOUNT, SA);
    assertThat(lint(stale))
        .singleElement()
        .asString()
        .contains("the Federated principal is")
        .contains("OLDCLUSTER")
        .contains("not the cluster's provider " + PROVIDER)
        .contains("re-created")
        .contains("fix: run install");
  }

  @Test
  void aFederatedPrincipalOfAnotherAccountIsRefused() {
    TrustPolicy other = TrustPolicy.forServiceAccount(ISSUER, Partition.AWS, "999999999999", SA);
    assertThat(lint(other)).singleElement().asString().contains("999999999999");
  }

  @Test
  void aFederatedPrincipalOfAnotherPartitionIsRefused() {
    TrustPolicy china = TrustPolicy.forServiceAccount(ISSUER, Partition.AWS_CN, ACCOUNT, SA);
    assertThat(lint(china)).singleElement().asString().contains("arn:aws-cn:iam::");
  }

  @Test
  void aStatementWithAStalePrincipalNextToARightOneIsStillReported() {
    OidcIssuer old = OidcIssuer.parse("https://oidc.eks.us-east-1.amazonaws.com/id/OLDCLUSTER");
    TrustPolicy right = TrustPolicy.forServiceAccount(ISSUER, Partition.AWS, ACCOUNT, SA);
    TrustPolicy stale = TrustPolicy.forServiceAccount(old, Partition.AWS, ACCOUNT, SA);
    TrustPolicy both =
        new TrustPolicy.Builder()
            .addAllStatements(right.statements())
            .addAllStatements(stale.statements())
            .build();
    assertThat(lint(both)).singleElement().asString().contains("OLDCLUSTER");
  }

  @Test
  void aPolicyWithoutAWebIdentityStatementIsRefused() {
    TrustPolicy ec2 =
        TrustPolicy.parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
    assertThat(lint(ec2))
        .singleElement()
        .asString()
        .contains("no Allow statement for sts:AssumeRoleWithWebIdentity")
        .contains("fix: run install");
  }

  @Test
  void aDenyStatementDoesNotCountAsTrust() {
    TrustPolicy deny =
        TrustPolicy.parse(
            TrustPolicy.forServiceAccount(ISSUER, Partition.AWS, ACCOUNT, SA)
                .toJson()
                .replace("\"Allow\"", "\"Deny\""));
    assertThat(lint(deny)).singleElement().asString().contains("no Allow statement");
  }

  // ------------------------------------------------------------------ audience

  @Test
  void theChinaAudienceIsRefused_IrsaTokensCarryStsAmazonawsComEverywhere() {
    assertThat(lint(policy(PROVIDER.toString(), equalsAudSub("sts.amazonaws.com.cn", SUB))))
        .singleElement()
        .asString()
        .contains("the audience is [sts.amazonaws.com.cn]")
        .contains("also in China")
        .contains("fix: run install");
  }

  @Test
  void aMissingAudienceIsRefused() {
    String subOnly = "{\"StringEquals\":{\"" + HOST + ":sub\":\"" + SUB + "\"}}";
    assertThat(lint(policy(PROVIDER.toString(), subOnly)))
        .singleElement()
        .asString()
        .contains("does not require " + HOST + ":aud = sts.amazonaws.com");
  }

  @Test
  void theAudienceIsRequiredEvenWhenWildcardSubjectsAreAllowed() {
    String subOnly = "{\"StringLike\":{\"" + HOST + ":sub\":\"system:serviceaccount:*\"}}";
    assertThat(lintAllowingWildcards(policy(PROVIDER.toString(), subOnly)))
        .singleElement()
        .asString()
        .contains(":aud");
  }

  // ------------------------------------------------------------------ subject

  @Test
  void aSubjectOfAnotherServiceAccountIsRefused() {
    assertThat(
            lint(
                policy(
                    PROVIDER.toString(),
                    equalsAudSub("sts.amazonaws.com", "system:serviceaccount:default:default"))))
        .singleElement()
        .asString()
        .contains("system:serviceaccount:default:default")
        .contains("the operator runs as " + SUB)
        .contains("--namespace/--service-account");
  }

  @Test
  void aMissingSubjectIsRefused_anyServiceAccountCouldAssumeTheRole() {
    String audOnly = "{\"StringEquals\":{\"" + HOST + ":aud\":\"sts.amazonaws.com\"}}";
    assertThat(lint(policy(PROVIDER.toString(), audOnly)))
        .singleElement()
        .asString()
        .contains("does not restrict " + HOST + ":sub")
        .contains("any service account");
  }

  @Test
  void aPolicyWithoutConditionsIsRefusedForAudienceAndSubject() {
    TrustPolicy none =
        TrustPolicy.parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Federated\":\""
                + PROVIDER
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}");
    assertThat(lint(none)).hasSize(2).anySatisfy(p -> assertThat(p).contains(":aud"));
    assertThat(lint(none)).anySatisfy(p -> assertThat(p).contains(":sub"));
  }

  @Test
  void stringLikeOnTheSubjectIsRefusedByDefault() {
    assertThat(lint(policy(PROVIDER.toString(), audAndLikeSub("system:serviceaccount:*"))))
        .singleElement()
        .asString()
        .contains("StringLike")
        .contains("lets other service accounts assume the role")
        .contains("StringEquals on " + SUB);
  }

  @Test
  void stringLikeWithoutAWildcardIsStillRefusedByDefault() {
    assertThat(lint(policy(PROVIDER.toString(), audAndLikeSub(SUB))))
        .singleElement()
        .asString()
        .contains("StringLike");
  }

  @Test
  void aWildcardInStringEqualsIsRefusedByDefault() {
    assertThat(
            lint(
                policy(
                    PROVIDER.toString(),
                    equalsAudSub(
                        "sts.amazonaws.com", "system:serviceaccount:sagemaker-k8s-operator-*"))))
        .singleElement()
        .asString()
        .contains("contains a wildcard");
    assertThat(
            lint(
                policy(
                    PROVIDER.toString(),
                    equalsAudSub("sts.amazonaws.com", "system:serviceaccount:ns:operator-?"))))
        .singleElement()
        .asString()
        .contains("contains a wildcard");
  }

  @Test
  void allowWildcardSubject_acceptsAStringLikePatternThatMatchesTheOperator() {
    assertThat(
            lintAllowingWildcards(
                policy(
                    PROVIDER.toString(),
                    audAndLikeSub("system:serviceaccount:sagemaker-k8s-operator-system:*"))))
        .isEmpty();
    assertThat(
            lintAllowingWildcards(
                policy(
                    PROVIDER.toString(),
                    audAndLikeSub("system:serviceaccount:*:sagemaker-k8s-operator-???????"))))
        .isEmpty();
  }

  @Test
  void allowWildcardSubject_stillRefusesAPatternThatDoesNotMatchTheOperator() {
    assertThat(
            lintAllowingWildcards(
                policy(PROVIDER.toString(), audAndLikeSub("system:serviceaccount:team-a:*"))))
        .singleElement()
        .asString()
        .contains("system:serviceaccount:team-a:*")
        .contains("does not match " + SUB);
  }

  @Test
  void allowWildcardSubject_doesNotRelaxTheOtherRules() {
    OidcIssuer old = OidcIssuer.parse("https://oidc.eks.us-east-1.amazonaws.com/id/OLDCLUSTER");
    assertThat(
            lintAllowingWildcards(
                policy(
                    old.providerArn(Partition.AWS, ACCOUNT).toString(),
                    audAndLikeSub("system:serviceaccount:*"))))
        .singleElement()
        .asString()
        .contains("not the cluster's provider");
    assertThat(
            lintAllowingWildcards(
                policy(PROVIDER.toString(), equalsAudSub("sts.amazonaws.com.cn", SUB))))
        .singleElement()
        .asString()
        .contains("also in China");
  }

  // ------------------------------------------------------------------ condition keys

  @Test
  void aConditionKeyThatStartsWithTheProviderArnIsRefused() {
    String arnKeys =
        "{\"StringEquals\":{\""
            + PROVIDER
            + ":aud\":\"sts.amazonaws.com\",\""
            + PROVIDER
            + ":sub\":\""
            + SUB
            + "\"}}";
    List<String> problems = lint(policy(PROVIDER.toString(), arnKeys));
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("starts with an ARN").contains(HOST + ":sub"));
    // and, since the right keys are then missing, the audience and subject are reported too
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("does not require"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("does not restrict"));
  }

  @Test
  void keysOfAnotherIssuerDoNotCount() {
    OidcIssuer other = OidcIssuer.parse("https://oidc.eks.us-east-1.amazonaws.com/id/OTHER");
    String otherKeys =
        "{\"StringEquals\":{\""
            + other.hostAndPath()
            + ":aud\":\"sts.amazonaws.com\",\""
            + other.hostAndPath()
            + ":sub\":\""
            + SUB
            + "\"}}";
    assertThat(lint(policy(PROVIDER.toString(), otherKeys))).hasSize(2);
  }

  @Test
  void everyProblemNamesAFix() {
    List<TrustPolicy> bad =
        List.of(
            policy(PROVIDER.toString(), equalsAudSub("sts.amazonaws.com.cn", SUB)),
            policy(PROVIDER.toString(), audAndLikeSub("system:serviceaccount:*")),
            policy(
                PROVIDER.toString(),
                equalsAudSub("sts.amazonaws.com", "system:serviceaccount:default:x")),
            policy(PROVIDER.toString(), "{\"StringEquals\":{}}"),
            TrustPolicy.forServiceAccount(
                OidcIssuer.parse("https://oidc.eks.us-east-1.amazonaws.com/id/OLD"),
                Partition.AWS,
                ACCOUNT,
                SA));
    for (TrustPolicy p : bad) {
      assertThat(lint(p)).isNotEmpty().allSatisfy(problem -> assertThat(problem).contains("fix:"));
    }
  }
}
