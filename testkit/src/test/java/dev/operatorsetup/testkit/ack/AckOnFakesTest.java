package dev.operatorsetup.testkit.ack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.targets.OperatorTarget;
import dev.operatorsetup.testkit.AckCharts;
import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.FakeWorldExtension;
import dev.operatorsetup.testkit.RoleAssertions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ACK SageMaker controller as a target, end to end on the fakes, rendered by helm-java. */
@ExtendWith(FakeWorldExtension.class)
class AckOnFakesTest {
  static final String REGION = "us-west-2";
  static final String CLUSTER = "ml";
  static final String ROLE = "ack-sagemaker";
  static final String NS = "ack-system";
  static final String NAME = "ack-sagemaker-controller";
  static final ObjectRef SA = ObjectRef.of("v1", "ServiceAccount", NS, NAME);

  /** The chart's full name: release name and chart name. */
  static final ObjectRef DEPLOYMENT =
      ObjectRef.of("apps/v1", "Deployment", NS, NAME + "-sagemaker-chart");

  static final ObjectRef PROJECTS_CRD =
      ObjectRef.of(
          "apiextensions.k8s.io/v1",
          "CustomResourceDefinition",
          null,
          "projects.sagemaker.services.k8s.aws");
  static final HelmJavaTestRenderer RENDERER = new HelmJavaTestRenderer();

  static OperatorSetup.Options ack(FakeWorld world, Path chart) {
    return world
        .setup(CLUSTER, REGION, ROLE)
        .withTarget(OperatorTarget.ack())
        .withChartRenderer(RENDERER)
        .withChart(chart);
  }

  static OperatorSetup.Options ack(FakeWorld world) {
    return ack(world, AckCharts.v191());
  }

  static List<KubeObject> ofKind(FakeWorld world, String kind) {
    return world.kubernetes().objects().stream().filter(o -> o.kind().equals(kind)).toList();
  }

  @Test
  void installAppliesCrdsRollsOutAnnotatesAndTrustsTheAckServiceAccount(FakeWorld world) {
    ClusterInfo cluster = world.addCluster(CLUSTER, REGION);
    InstallReport report = ack(world).install();

    assertThat(report.changes()).allMatch(c -> c.action() == ChangeAction.CREATE);
    List<KubeObject> crds = ofKind(world, "CustomResourceDefinition");
    assertThat(crds).hasSize(28);
    assertThat(crds)
        .allMatch(c -> c.json().toString().contains("\"Established\""))
        .allMatch(c -> Tags.isOurs(c.labels()));
    KubeObject sa = world.kubernetes().get(SA).orElseThrow();
    String roleArn = "arn:aws:iam::" + world.aws().account() + ":role/" + ROLE;
    assertThat(sa.annotations()).containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn);
    KubeObject dep = world.kubernetes().get(DEPLOYMENT).orElseThrow();
    assertThat(dep.at("/status/availableReplicas").asInt()).isEqualTo(1);
    assertThat(dep.json().toString()).contains("\"AWS_REGION\"", "\"" + REGION + "\"");
    RoleAssertions.assertRoleTrusts(world, cluster, REGION, ROLE, ServiceAccountRef.of(NS, NAME));
    assertThat(report.serviceAccount()).contains(NS + "/" + NAME);
  }

  @Test
  void aReRunMakesZeroWrites(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world).install();
    world.log().clear();

    InstallReport again = ack(world).install();

    assertThat(world.log().writes()).isEmpty();
    assertThat(again.changed()).isFalse();
  }

  @Test
  void planListsEveryCreateAndWritesNothing(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    InstallReport plan = ack(world).plan();

    assertThat(world.log().writeCount()).isZero();
    assertThat(plan.changes()).allMatch(c -> c.action() == ChangeAction.CREATE);
    assertThat(plan.changes().stream().map(Change::resource).toList())
        .contains(
            "iam:role/" + ROLE,
            "kubernetes:Namespace " + NS,
            "kubernetes:" + PROJECTS_CRD.display(),
            "kubernetes:" + SA.display(),
            "kubernetes:" + DEPLOYMENT.display());
  }

  @Test
  void verifyIsHealthyAndChecksTheControllerRegion(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world).install();

    InstallReport verify = ack(world).verify();

    assertThat(verify.healthy()).as(verify.checks().toString()).isTrue();
    assertThat(verify.checks()).extracting(Check::name).contains("crds", "controller-region");
  }

  @Test
  void aControllerCallingAnotherRegionIsAFinding(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world).set("aws.region", "eu-west-1").install();

    InstallReport verify = ack(world).set("aws.region", "eu-west-1").verify();

    assertThat(verify.healthy()).isFalse();
    assertThat(verify.checks())
        .filteredOn(c -> c.name().equals("controller-region"))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("eu-west-1", REGION));
  }

  @Test
  void uninstallWithNoCustomResourcesLeavesNoTrace(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    long before = world.kubernetes().objects().size();
    ack(world).install();

    ack(world).uninstall();

    assertThat(world.kubernetes().objects()).hasSize((int) before);
    assertThat(world.aws().services(REGION).roles().find(ROLE)).isEmpty();
  }

  @Test
  void uninstallRefusesWhileCustomResourcesExistAndDeletesNothing(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world).install();
    world.kubernetes().apply(model(world, "team-a", "job-1"), "kubectl", false);
    world.kubernetes().apply(model(world, "team-b", "job-2"), "kubectl", false);
    world.log().clear();

    assertThatThrownBy(() -> ack(world).uninstall())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("Model team-a/job-1")
        .hasMessageContaining("Model team-b/job-2")
        .hasMessageContaining("--retain-aws-resources");
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void retainAnnotatesEachCustomResourceThenDeletesItThenUninstalls(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world).install();
    world.kubernetes().apply(model(world, "team-a", "job-1"), "kubectl", false);
    world.log().clear();

    InstallReport report = ack(world).retainAwsResources().uninstall();

    assertThat(report.changes())
        .filteredOn(c -> c.resource().contains("Model team-a/job-1"))
        .extracting(Change::action)
        .containsExactly(ChangeAction.UPDATE, ChangeAction.DELETE);
    assertThat(report.changes())
        .filteredOn(c -> c.action() == ChangeAction.UPDATE)
        .allMatch(c -> c.detail().contains("services.k8s.aws/deletion-policy: retain"));
    assertThat(world.kubernetes().get(DEPLOYMENT)).isEmpty();
    assertThat(ofKind(world, "CustomResourceDefinition")).isEmpty();
    assertThat(
            world.log().writes().stream()
                .map(w -> w.operation())
                .filter(op -> op.contains("job-1"))
                .toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("apply");
  }

  static KubeObject model(FakeWorld world, String ns, String name) {
    world
        .kubernetes()
        .apply(dev.operatorsetup.testkit.LegacyFixtures.namespace(ns), "kubectl", false);
    return KubeObject.parse(
        "{\"apiVersion\":\"sagemaker.services.k8s.aws/v1alpha1\",\"kind\":\"Model\","
            + "\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\""
            + ns
            + "\"},\"spec\":{\"modelName\":\""
            + name
            + "\"}}");
  }
}
