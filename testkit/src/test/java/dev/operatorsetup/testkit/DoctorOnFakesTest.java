package dev.operatorsetup.testkit;

import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.REGION;
import static dev.operatorsetup.testkit.Example.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.AwsServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** doctor names each broken link of an installation, and nothing on a healthy one. */
class DoctorOnFakesTest {
  static final String NS = "sagemaker-k8s-operator-system";
  static final ObjectRef SA =
      ObjectRef.of("v1", "ServiceAccount", NS, "sagemaker-k8s-operator-default");

  private final FakeWorld world = new FakeWorld();
  private final ClusterInfo cluster = world.addCluster(CLUSTER, REGION);
  private final AwsServices aws = world.aws().services(REGION);

  private InstallReport installed() {
    return world.setup(CLUSTER, REGION, ROLE).install();
  }

  private List<Check> findings() {
    return world.setup(CLUSTER, REGION, ROLE).diagnose().checks().stream()
        .filter(c -> !c.ok())
        .toList();
  }

  private String issuerHost() {
    return OidcIssuer.parse(cluster.issuer().get()).hostAndPath();
  }

  private Arn providerArn() {
    return OidcIssuer.parse(cluster.issuer().get())
        .providerArn(cluster.arn().partition(), world.aws().account());
  }

  /** Asserts that diagnose finds exactly one problem, by {@code check}, its detail naming all. */
  private void assertOneFinding(String check, String... detail) {
    assertThat(findings())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.name()).isEqualTo(check);
              assertThat(c.detail()).contains(detail);
            });
  }

  /** Removes the role ARN annotation from the operator's service account, as another tool would. */
  private KubeObject removeTheAnnotation() {
    return InstallOnFakesTest.editServiceAccount(
        world,
        "operator-setup",
        n ->
            ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("metadata"))
                .remove("annotations"));
  }

  /** Pods that started before the annotation: it is removed, then put back a second later. */
  private void annotateAfterThePodsStarted() throws InterruptedException {
    String arn = removeTheAnnotation().annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION);
    Thread.sleep(1100);
    world
        .kubernetes()
        .apply(
            KubeObject.parse(
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"sagemaker-k8s-operator-default\",\"namespace\":\""
                    + NS
                    + "\",\"annotations\":{\"eks.amazonaws.com/role-arn\":\""
                    + arn
                    + "\"}}}"),
            "kubectl-annotate",
            true);
  }

  private void trust(String condition) {
    aws.roles()
        .updateTrust(
            ROLE,
            TrustPolicy.parse(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                    + providerArn()
                    + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":"
                    + condition
                    + "}]}"));
  }

  @Test
  void aHealthyInstallHasNoFinding() {
    installed();
    InstallReport report = world.setup(CLUSTER, REGION, ROLE).diagnose();
    assertThat(report.command()).isEqualTo("diagnose");
    assertThat(report.checks())
        .extracting(Check::name)
        .contains(
            "cluster",
            "oidc-provider",
            "service-account",
            "pods",
            "images",
            "role-trust",
            "role-policies",
            "crds",
            "deployment");
    assertThat(report.healthy()).as(report.checks().toString()).isTrue();
  }

  @Test
  void aMissingProvider() {
    installed();
    aws.oidcProviders().delete(providerArn());
    assertOneFinding("oidc-provider", "No OpenIDConnect provider found", "fix: run install");
  }

  @Test
  void aProviderWithTheChinaAudience() {
    installed();
    aws.oidcProviders().delete(providerArn());
    aws.oidcProviders()
        .create(cluster.issuer().get(), List.of("sts.amazonaws.com.cn"), List.of(), Map.of());
    assertThat(findings())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.detail())
                    .contains("Incorrect token audience")
                    .contains("add-client-id-to-open-id-connect-provider"));
  }

  @Test
  void aStaleFederatedPrincipal() {
    installed();
    OidcIssuer old = OidcIssuer.parse("https://oidc.eks.us-east-1.amazonaws.com/id/OLDCLUSTER");
    // IAM refuses a Federated principal whose provider does not exist: it goes stale when the old
    // cluster's provider is deleted after the trust names it.
    Arn oldProvider =
        aws.oidcProviders()
            .create(old.url(), List.of("sts.amazonaws.com"), List.of(), Map.of())
            .arn();
    aws.roles()
        .updateTrust(
            ROLE,
            TrustPolicy.forServiceAccount(
                old,
                cluster.arn().partition(),
                world.aws().account(),
                dev.operatorsetup.model.ServiceAccountRef.operatorDefault()));
    aws.oidcProviders().delete(oldProvider);
    assertOneFinding("role-trust", "re-created", "OLDCLUSTER");
  }

  @Test
  void theChinaAudienceInTheTrustPolicy() {
    installed();
    trust(
        "{\"StringEquals\":{\""
            + issuerHost()
            + ":aud\":\"sts.amazonaws.com.cn\",\""
            + issuerHost()
            + ":sub\":\"system:serviceaccount:"
            + NS
            + ":sagemaker-k8s-operator-default\"}}");
    assertThat(findings())
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("also in China"));
  }

  @Test
  void aSubjectOfAnotherServiceAccount() {
    installed();
    trust(
        "{\"StringEquals\":{\""
            + issuerHost()
            + ":aud\":\"sts.amazonaws.com\",\""
            + issuerHost()
            + ":sub\":\"system:serviceaccount:default:default\"}}");
    assertThat(findings())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.detail())
                    .contains("system:serviceaccount:default:default")
                    .contains("operator runs as"));
  }

  @Test
  void aWildcardSubject() {
    installed();
    trust(
        "{\"StringEquals\":{\""
            + issuerHost()
            + ":aud\":\"sts.amazonaws.com\"},\"StringLike\":{\""
            + issuerHost()
            + ":sub\":\"system:serviceaccount:*\"}}");
    assertThat(findings())
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("StringLike"));
  }

  @Test
  void aDetachedPolicy() {
    installed();
    aws.roles()
        .detachPolicy(
            ROLE, Arn.parsePolicy("p", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"));
    assertOneFinding("role-policies", "aws iam attach-role-policy --role-name " + ROLE);
  }

  @Test
  void aMissingAnnotation() {
    installed();
    removeTheAnnotation();
    assertThat(findings()).extracting(Check::name).contains("service-account");
    assertThat(findings())
        .filteredOn(c -> c.name().equals("service-account"))
        .singleElement()
        .satisfies(
            c -> assertThat(c.detail()).contains("no eks.amazonaws.com/role-arn annotation"));
  }

  @Test
  void podsStartedBeforeTheAnnotation() throws Exception {
    world.setup(CLUSTER, REGION, ROLE).awsOnly().install();
    // someone else's install: the operator first, the annotation a second later
    world.setup(CLUSTER, REGION, ROLE).install();
    annotateAfterThePodsStarted();
    assertOneFinding(
        "pods", "rollout restart deployment sagemaker-k8s-operator-controller-manager");
  }

  @Test
  void aMissingCrd() {
    installed();
    world
        .kubernetes()
        .delete(
            ObjectRef.of(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                null,
                "trainingjobs.sagemaker.aws.amazon.com"));
    assertOneFinding("crds", "trainingjobs.sagemaker.aws.amazon.com missing");
  }

  @Test
  void anImageThatCannotBePulled() {
    world.kubernetes().markUnpullable(ManifestPatch.DEAD_RBAC_PROXY);
    assertThatThrownBy(
            () ->
                world
                    .setup(CLUSTER, REGION, ROLE)
                    .withImage(ManifestPatch.DEAD_RBAC_PROXY, ManifestPatch.DEAD_RBAC_PROXY)
                    .withTimeout(Duration.ofSeconds(2))
                    .install())
        .isInstanceOf(dev.operatorsetup.WaitTimeoutException.class);
    assertThat(findings()).extracting(Check::name).contains("images", "deployment");
    assertThat(findings())
        .filteredOn(c -> c.name().equals("images"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.detail())
                    .contains(ManifestPatch.DEAD_RBAC_PROXY)
                    .contains("ImagePullBackOff")
                    .contains("--image"));
  }

  @Test
  void aMissingDeployment() {
    installed();
    world
        .kubernetes()
        .delete(
            ObjectRef.of("apps/v1", "Deployment", NS, "sagemaker-k8s-operator-controller-manager"));
    assertThat(findings()).extracting(Check::name).contains("deployment");
  }

  @Test
  void installRepairsWhatDoctorFound() {
    installed();
    aws.roles()
        .detachPolicy(
            ROLE, Arn.parsePolicy("p", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"));
    aws.oidcProviders().delete(providerArn());
    assertThat(findings()).hasSize(2);
    installed();
    assertThat(findings()).isEmpty();
  }

  @Test
  void installRestartsPodsStartedBeforeTheAnnotation() throws Exception {
    installed();
    annotateAfterThePodsStarted();
    assertThat(world.setup(CLUSTER, REGION, ROLE).plan().changes())
        .filteredOn(c -> c.action() == dev.operatorsetup.model.ChangeAction.UPDATE)
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("restart them"));
    world.log().clear();
    installed();
    assertThat(world.log().writes())
        .extracting(CallLog.Call::toString)
        .singleElement()
        .asString()
        .contains("restartDeployment");
    assertThat(findings()).isEmpty();
    world.log().clear();
    installed();
    assertThat(world.log().writes()).isEmpty();
  }
}
