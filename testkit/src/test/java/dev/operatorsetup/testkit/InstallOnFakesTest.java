package dev.operatorsetup.testkit;

import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.REGION;
import static dev.operatorsetup.testkit.Example.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.ProgressEvent;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.OidcProviders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole installation, end to end, on the in-memory AWS and Kubernetes. */
@ExtendWith(FakeWorldExtension.class)
class InstallOnFakesTest {
  static final ObjectRef SA = dev.operatorsetup.testkit.Example.SERVICE_ACCOUNT;
  static final ObjectRef DEPLOYMENT =
      ObjectRef.of(
          "apps/v1",
          "Deployment",
          "sagemaker-k8s-operator-system",
          "sagemaker-k8s-operator-controller-manager");

  private static String roleArn(FakeWorld world) {
    return "arn:aws:iam::" + world.aws().account() + ":role/" + ROLE;
  }

  /**
   * Changes the operator's service account as {@code manager} would, taking over what it changes;
   * returns the account as it was.
   */
  static KubeObject editServiceAccount(
      FakeWorld world, String manager, Consumer<ObjectNode> change) {
    KubeObject sa = world.kubernetes().get(SA).orElseThrow();
    world.kubernetes().apply(sa.edit(change), manager, true);
    return sa;
  }

  /** Sets the service account's role ARN annotation, as {@code kubectl edit} would. */
  static void annotateRoleArn(FakeWorld world, String roleArn) {
    editServiceAccount(
        world,
        "kubectl-edit",
        n ->
            n.with("metadata").with("annotations").put(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn));
  }

  @Test
  void planOnAnEmptyWorldListsEveryCreateAndWritesNothing(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    InstallReport plan = world.setup(CLUSTER, REGION, ROLE).plan();

    assertThat(world.log().writeCount()).isZero();
    assertThat(plan.command()).isEqualTo("plan");
    assertThat(plan.changes()).allMatch(c -> c.action() == ChangeAction.CREATE);
    assertThat(plan.changes().stream().map(c -> c.resource()).toList())
        .anyMatch(r -> r.startsWith("iam:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/"))
        .contains("iam:role/" + ROLE, "iam:role/" + ROLE + " policy AmazonSageMakerFullAccess")
        .contains("kubernetes:Namespace sagemaker-k8s-operator-system")
        .contains("kubernetes:CustomResourceDefinition trainingjobs.sagemaker.aws.amazon.com")
        .contains("kubernetes:" + SA.display(), "kubernetes:" + DEPLOYMENT.display());
    // provider + role + policy + 18 manifest objects
    assertThat(plan.changes()).hasSize(21);
    assertThat(plan.roleArn()).contains(roleArn(world));
  }

  @Test
  void installCreatesEverythingAndVerifies(FakeWorld world) {
    ClusterInfo cluster = world.addCluster(CLUSTER, REGION);
    InstallReport report = world.setup(CLUSTER, REGION, ROLE).install();

    assertThat(report.changes()).hasSize(21).allMatch(c -> c.action() == ChangeAction.CREATE);
    RoleAssertions.assertRoleTrusts(
        world, cluster, REGION, ROLE, ServiceAccountRef.operatorDefault());
    KubeObject sa = world.kubernetes().get(SA).orElseThrow();
    assertThat(sa.annotations()).containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn(world));
    assertThat(
            world.kubernetes().objects().stream()
                .filter(o -> o.kind().equals("CustomResourceDefinition")))
        .hasSize(8)
        .allMatch(o -> o.apiVersion().equals("apiextensions.k8s.io/v1"));

    InstallReport verify = world.setup(CLUSTER, REGION, ROLE).verify();
    assertThat(verify.checks())
        .extracting(Check::name)
        .contains(
            "cluster",
            "oidc-provider",
            "role-trust",
            "role-policies",
            "crds",
            "service-account",
            "deployment",
            "pods");
    assertThat(verify.healthy()).as(verify.checks().toString()).isTrue();
  }

  @Test
  void aReRunChangesNothingAndMakesZeroWrites(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    List<String> before = WorldState.of(world, REGION);
    world.log().clear();

    InstallReport again = world.setup(CLUSTER, REGION, ROLE).install();

    assertThat(world.log().writes()).isEmpty();
    assertThat(again.changed()).isFalse();
    assertThat(again.changes()).hasSize(21).allMatch(c -> c.action() == ChangeAction.UNCHANGED);
    assertThat(WorldState.of(world, REGION)).isEqualTo(before);
  }

  @Test
  void aReRunWaitsForNothingThatIsAlreadyEstablishedAndRolledOut(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    world.log().clear();

    world.setup(CLUSTER, REGION, ROLE).install();

    assertThat(world.log().calls())
        .extracting(CallLog.Call::operation)
        .noneMatch(op -> op.startsWith("awaitCrdEstablished") || op.startsWith("awaitRollout"));
  }

  @Test
  void theCrdsAreAwaitedAfterTheOtherObjectsAreApplied(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);

    world.setup(CLUSTER, REGION, ROLE).install();

    List<String> k8s =
        world.log().calls().stream()
            .filter(c -> c.service().equals("kubernetes"))
            .map(CallLog.Call::operation)
            .toList();
    int firstCrdWait = indexOf(k8s, "awaitCrdEstablished");
    int deploymentApplied = indexOf(k8s, "apply Deployment");
    assertThat(firstCrdWait).isPositive();
    assertThat(deploymentApplied).isPositive().isLessThan(firstCrdWait);
    assertThat(k8s.stream().filter(op -> op.startsWith("awaitCrdEstablished"))).hasSize(8);
  }

  private static int indexOf(List<String> operations, String prefix) {
    for (int i = 0; i < operations.size(); i++) {
      if (operations.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void objectsAppliedTogetherAreReportedInManifestOrderOnTheCallingThread(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    List<String> threads = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    InstallReport report =
        world
            .setup(CLUSTER, REGION, ROLE)
            .withListener(
                e -> {
                  threads.add(Thread.currentThread().getName());
                  if (e.type() == ProgressEvent.Type.CHANGE && e.step().startsWith("kubernetes:")) {
                    changed.add(e.step());
                  }
                })
            .install();

    assertThat(threads).containsOnly(Thread.currentThread().getName());
    assertThat(changed)
        .containsExactlyElementsOf(
            report.changes().stream()
                .map(c -> c.resource())
                .filter(r -> r.startsWith("kubernetes:"))
                .toList());
    assertThat(changed.get(0)).startsWith("kubernetes:Namespace");
    assertThat(changed.get(changed.size() - 1)).startsWith("kubernetes:Deployment");
  }

  @Test
  void aNewRoleIsNotReadAgainBeforeItsPolicyIsAttached(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);

    world.setup(CLUSTER, REGION, ROLE).install();

    assertThat(world.log().calls())
        .filteredOn(c -> c.service().equals("iam") && c.operation().startsWith("GetRole"))
        .hasSize(1);
  }

  @Test
  void trustPolicyDriftIsRepaired(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    List<String> good = WorldState.of(world, REGION);
    OidcIssuer staleIssuer = OidcIssuer.parse("https://oidc.eks.us-east-1.amazonaws.com/id/STALE");
    TrustPolicy stale =
        TrustPolicy.forServiceAccount(
            staleIssuer, Partition.AWS, world.aws().account(), ServiceAccountRef.operatorDefault());
    // IAM refuses a Federated principal without its provider: make it, name it, delete it.
    OidcProviders providers = world.aws().services(REGION).oidcProviders();
    Arn staleProvider =
        providers
            .create(staleIssuer.url(), List.of("sts.amazonaws.com"), List.of(), Map.of())
            .arn();
    world.aws().services(REGION).roles().updateTrust(ROLE, stale);
    providers.delete(staleProvider);

    InstallReport plan = world.setup(CLUSTER, REGION, ROLE).plan();
    assertThat(plan.changes(ChangeAction.UPDATE))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("trust policy differs"));
    InstallReport verify = world.setup(CLUSTER, REGION, ROLE).verify();
    assertThat(verify.checks())
        .filteredOn(c -> !c.ok())
        .extracting(Check::name)
        .containsExactly("role-trust");

    world.log().clear();
    // The statement for the old provider (which no longer exists) is another's to keep unless
    // asked: removeStaleTrust drops it in the same single update that adds ours.
    world.setup(CLUSTER, REGION, ROLE).removeStaleTrust().install();
    assertThat(world.log().writes())
        .extracting(CallLog.Call::operation)
        .containsExactly("UpdateAssumeRolePolicy");
    assertThat(WorldState.of(world, REGION)).isEqualTo(good);
  }

  @Test
  void aDetachedPolicyIsAttachedAgain(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    List<String> good = WorldState.of(world, REGION);
    world
        .aws()
        .services(REGION)
        .roles()
        .detachPolicy(
            ROLE, Arn.parsePolicy("p", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"));

    InstallReport report = world.setup(CLUSTER, REGION, ROLE).install();

    assertThat(report.changes(ChangeAction.CREATE))
        .singleElement()
        .satisfies(c -> assertThat(c.resource()).endsWith("policy AmazonSageMakerFullAccess"));
    assertThat(WorldState.of(world, REGION)).isEqualTo(good);
  }

  @Test
  void anEditedAnnotationIsRepairedAndTheControllerRestarted(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    List<String> good = WorldState.of(world, REGION);
    annotateRoleArn(world, "arn:aws:iam::111111111111:role/other");

    InstallReport verify = world.setup(CLUSTER, REGION, ROLE).verify();
    assertThat(verify.checks())
        .filteredOn(c -> !c.ok())
        .extracting(Check::name)
        .contains("service-account");
    InstallReport report = world.setup(CLUSTER, REGION, ROLE).install();

    assertThat(report.changes(ChangeAction.UPDATE))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("role annotation"));
    assertThat(WorldState.of(world, REGION)).isEqualTo(good);
  }

  @Test
  void aNewRoleUpdatesTheAnnotationAndRollsThePods(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    List<String> podsBefore = podNames(world);

    InstallReport report = world.setup(CLUSTER, REGION, "another-role").install();

    assertThat(report.changes(ChangeAction.UPDATE).stream().map(c -> c.resource()))
        .containsExactlyInAnyOrder(
            "kubernetes:" + SA.display(), "kubernetes:" + DEPLOYMENT.display());
    assertThat(report.changes(ChangeAction.UPDATE))
        .anySatisfy(c -> assertThat(c.detail()).contains("pods restart"));
    assertThat(podNames(world)).isNotEmpty().doesNotContainAnyElementsOf(podsBefore);
    assertThat(world.setup(CLUSTER, REGION, "another-role").verify().healthy()).isTrue();
  }

  private static List<String> podNames(FakeWorld world) {
    return world.kubernetes().objects().stream()
        .filter(o -> o.kind().equals("Pod"))
        .map(KubeObject::name)
        .toList();
  }

  @Test
  void uninstallRestoresTheEmptyWorld(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    List<String> empty = WorldState.of(world, REGION);
    List<KubeObject> objectsBefore = world.kubernetes().objects();
    world.setup(CLUSTER, REGION, ROLE).install();

    InstallReport report = world.setup(CLUSTER, REGION, ROLE).uninstall();

    assertThat(report.changes(ChangeAction.DELETE)).isNotEmpty();
    assertThat(WorldState.of(world, REGION)).isEqualTo(empty);
    assertThat(world.kubernetes().objects()).isEqualTo(objectsBefore);
    world.log().clear();
    InstallReport again = world.setup(CLUSTER, REGION, ROLE).uninstall();
    assertThat(again.changed()).isFalse();
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void uninstallDeletesCustomResourcesFirst(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    List<KubeObject> objectsBefore = world.kubernetes().objects();
    world.setup(CLUSTER, REGION, ROLE).install();
    world.kubernetes().apply(trainingJob("job-1", List.of()), "user", false);

    InstallReport report = world.setup(CLUSTER, REGION, ROLE).uninstall();

    assertThat(report.changes().get(0).resource())
        .isEqualTo("kubernetes:TrainingJob sagemaker-k8s-operator-system/job-1");
    assertThat(world.kubernetes().objects()).isEqualTo(objectsBefore);
  }

  @Test
  void aStuckFinalizerIsNamedAndRemovedOnlyWhenAsked(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    List<KubeObject> objectsBefore = world.kubernetes().objects();
    world.setup(CLUSTER, REGION, ROLE).install();
    world
        .kubernetes()
        .apply(trainingJob("job-2", List.of("sagemaker-operator-finalizer")), "user", false);

    assertThatThrownBy(
            () -> world.setup(CLUSTER, REGION, ROLE).withTimeout(Duration.ofSeconds(3)).uninstall())
        .hasMessageContaining("TrainingJob sagemaker-k8s-operator-system/job-2")
        .hasMessageContaining("removeFinalizers");
    world.setup(CLUSTER, REGION, ROLE).removeFinalizers().uninstall();
    assertThat(world.kubernetes().objects()).isEqualTo(objectsBefore);
    assertThat(world.aws().roleNames()).isEmpty();
  }

  private static KubeObject trainingJob(String name, List<String> finalizers) {
    return KubeObject.parse(
        "{\"apiVersion\":\"sagemaker.aws.amazon.com/v1\",\"kind\":\"TrainingJob\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\"sagemaker-k8s-operator-system\",\"finalizers\":"
            + finalizers.stream().map(f -> "\"" + f + "\"").toList()
            + "},\"spec\":{\"region\":\"us-east-1\",\"roleArn\":\"arn:aws:iam::123456789012:role/sm-exec\","
            + "\"algorithmSpecification\":{\"trainingImage\":\"811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:1\","
            + "\"trainingInputMode\":\"File\"},\"outputDataConfig\":{\"s3OutputPath\":\"s3://bucket/out\"},"
            + "\"resourceConfig\":{\"instanceCount\":1,\"instanceType\":\"ml.m4.xlarge\",\"volumeSizeInGB\":5},"
            + "\"stoppingCondition\":{\"maxRuntimeInSeconds\":3600}}}");
  }

  @Test
  void aPreExistingProviderIsReusedAndSurvivesUninstall(FakeWorld world) {
    ClusterInfo cluster = world.addCluster(CLUSTER, REGION);
    world
        .aws()
        .services(REGION)
        .oidcProviders()
        .create(
            cluster.issuer().get(),
            List.of("sts.amazonaws.com"),
            List.of(),
            Map.of("team", "platform"));

    InstallReport report = world.setup(CLUSTER, REGION, ROLE).install();
    assertThat(report.changes())
        .filteredOn(c -> c.resource().startsWith("iam:oidc-provider/"))
        .singleElement()
        .satisfies(c -> assertThat(c.action()).isEqualTo(ChangeAction.UNCHANGED));
    assertThat(world.aws().providerArns()).hasSize(1);

    world.setup(CLUSTER, REGION, ROLE).uninstall();
    assertThat(world.aws().providerArns()).hasSize(1);
    assertThat(world.aws().roleNames()).isEmpty();
  }

  @Test
  void aForeignRoleWithAnotherTrustIsRefusedBeforeAnyWrite(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world
        .aws()
        .services(REGION)
        .roles()
        .create(
            new dev.operatorsetup.model.RoleSpec.Builder().name(ROLE).build(),
            TrustPolicy.parse(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"),
            Map.of());
    world.log().clear();

    assertThatThrownBy(() -> world.setup(CLUSTER, REGION, ROLE).install())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("'" + ROLE + "'")
        .hasMessageContaining("adoptExistingRole");
    assertThat(world.log().writes()).isEmpty();

    world.setup(CLUSTER, REGION, ROLE).adoptExistingRole().install();
    assertThat(world.setup(CLUSTER, REGION, ROLE).verify().healthy()).isTrue();
    world.setup(CLUSTER, REGION, ROLE).uninstall();
    assertThat(world.aws().roleNames()).containsExactly(ROLE); // not ours: kept
  }

  @Test
  void aMissingClusterIsNamedWithItsRegionAndNothingIsWritten(FakeWorld world) {
    assertThatThrownBy(() -> world.setup("nope", "eu-west-1", ROLE).install())
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessage(
            "EKS cluster 'nope' not found in region eu-west-1. Fix: check the name and the region (aws eks list-clusters --region eu-west-1).");
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void aMissingPolicyIsNamedAndNothingIsWritten(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    assertThatThrownBy(
            () ->
                world
                    .setup(CLUSTER, REGION, ROLE)
                    .withPolicy("arn:aws:iam::aws:policy/NoSuchPolicy")
                    .install())
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining(
            "arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable");
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void throttlingIsRetriedWithinBounds(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.faults().throttle(c -> c.operation().equals("CreateRole"), 2);
    world.setup(CLUSTER, REGION, ROLE).install();
    assertThat(world.aws().roleNames()).containsExactly(ROLE);

    FakeWorld other = new FakeWorld();
    other.addCluster(CLUSTER, REGION);
    other.faults().throttle(c -> c.operation().equals("CreateRole"), 50);
    assertThatThrownBy(() -> other.setup(CLUSTER, REGION, ROLE).install())
        .hasMessageContaining("Throttled");
  }

  @Test
  void aDeadImageTimesOutNamingTheDeployment(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.kubernetes().markUnpullable(ManifestPatch.LIVE_RBAC_PROXY);
    assertThatThrownBy(
            () -> world.setup(CLUSTER, REGION, ROLE).withTimeout(Duration.ofSeconds(2)).install())
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("sagemaker-k8s-operator-controller-manager");
  }

  @Test
  void awsOnlyNeverTouchesKubernetes(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    InstallReport report = world.setup(CLUSTER, REGION, ROLE).awsOnly().install();
    assertThat(report.changes()).hasSize(3);
    assertThat(world.log().calls()).noneMatch(c -> c.service().equals("kubernetes"));
  }

  @Test
  void theListenerSeesStepsChangesAndWaits(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    List<ProgressEvent> events = new ArrayList<>();
    world.setup(CLUSTER, REGION, ROLE).withListener(events::add).install();
    assertThat(events)
        .extracting(ProgressEvent::type)
        .contains(
            ProgressEvent.Type.STEP_STARTED,
            ProgressEvent.Type.STEP_FINISHED,
            ProgressEvent.Type.CHANGE,
            ProgressEvent.Type.WAITING);
    assertThat(events)
        .filteredOn(e -> e.type() == ProgressEvent.Type.WAITING)
        .anySatisfy(e -> assertThat(e.detail()).contains("to roll out"))
        .anySatisfy(e -> assertThat(e.detail()).contains("to be Established"));
    assertThat(events).filteredOn(e -> e.type() == ProgressEvent.Type.CHANGE).hasSize(21);
  }

  @Test
  void aReCreatedClusterGetsANewProviderAndTheTrustFollows(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    world.aws().removeCluster(REGION, CLUSTER);
    ClusterInfo recreated = world.addCluster(CLUSTER, REGION);

    InstallReport report = world.setup(CLUSTER, REGION, ROLE).install();

    assertThat(report.changes(ChangeAction.CREATE))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.resource()).contains(OidcIssuer.parse(recreated.issuer().get()).id()));
    assertThat(report.changes(ChangeAction.UPDATE))
        .extracting(c -> c.resource())
        .contains("iam:role/" + ROLE);
    assertThat(world.setup(CLUSTER, REGION, ROLE).verify().healthy()).isTrue();
  }

  @Test
  void chinaUsesItsPartitionEverywhere(FakeWorld world) {
    world.addCluster(CLUSTER, "cn-northwest-1");
    InstallReport report = world.setup(CLUSTER, "cn-northwest-1", ROLE).install();
    assertThat(report.roleArn())
        .contains("arn:aws-cn:iam::" + world.aws().account() + ":role/" + ROLE);
    assertThat(report.oidcProviderArn().get()).startsWith("arn:aws-cn:iam::");
    Role role = world.aws().services("cn-northwest-1").roles().find(ROLE).orElseThrow();
    assertThat(role.attachedPolicies())
        .extracting(Arn::toString)
        .containsExactly("arn:aws-cn:iam::aws:policy/AmazonSageMakerFullAccess");
    assertThat(role.trustPolicy().toCompactJson())
        .contains(":aud\":\"sts.amazonaws.com\"")
        .doesNotContain("arn:aws:");
  }

  @Test
  void aNamespacedInstallGoesWhereItIsTold(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world
        .setup(CLUSTER, REGION, ROLE)
        .withManifest(
            dev.operatorsetup.Manifests.bundled(dev.operatorsetup.Manifests.Variant.NAMESPACED))
        .withNamespace("team-a")
        .install();
    assertThat(
            world
                .kubernetes()
                .get(
                    ObjectRef.of(
                        "v1", "ServiceAccount", "team-a", "sagemaker-k8s-operator-default"))
                .orElseThrow()
                .annotations())
        .containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn(world));
    Role role = world.aws().services(REGION).roles().find(ROLE).orElseThrow();
    assertThat(role.trustPolicy().toCompactJson())
        .contains("system:serviceaccount:team-a:sagemaker-k8s-operator-default");
  }
}
