package dev.operatorsetup.testkit.ack;

import static dev.operatorsetup.testkit.ack.AckHelmReleaseCheckTest.helmInstall;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.CLUSTER;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.NAME;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.NS;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.PROJECTS_CRD;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.REGION;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.ack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.testkit.AckCharts;
import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.FakeWorldExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Upgrades, install scopes and Helm releases of the ACK controller, on the fakes. */
@ExtendWith(FakeWorldExtension.class)
class AckLifecycleOnFakesTest {
  static final ObjectRef HELM_RECORD =
      ObjectRef.of("v1", "Secret", NS, AckHelmReleaseCheckTest.RECORD);

  private static Set<String> refs(List<KubeObject> objects) {
    return objects.stream()
        .map(o -> "kubernetes:" + o.ref().display())
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static Set<String> resources(InstallReport report, ChangeAction action) {
    return report.changes().stream()
        .filter(c -> c.action() == action && c.resource().startsWith("kubernetes:"))
        .map(Change::resource)
        .collect(Collectors.toSet());
  }

  private static Set<String> labelled(FakeWorld world) {
    return refs(
        world.kubernetes().objects().stream()
            .filter(o -> NAME.equals(o.labels().get(Tags.RELEASE_KEY)))
            .filter(o -> !o.kind().equals("CustomResourceDefinition"))
            .toList());
  }

  @Test
  void upgradeFrom160To191AddsUpdatesAndRemovesExactlyWhatChanged(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world, AckCharts.v160()).install();
    Set<String> before = refs(ack(world, AckCharts.v160()).renderObjects());
    Set<String> after = refs(ack(world).renderObjects());
    Set<String> added = new HashSet<>(after);
    added.removeAll(before);
    Set<String> gone = new HashSet<>(before);
    gone.removeAll(after);
    gone.removeIf(r -> r.contains("CustomResourceDefinition"));

    InstallReport plan = ack(world).plan();

    assertThat(added).contains("kubernetes:" + PROJECTS_CRD.display());
    assertThat(resources(plan, ChangeAction.CREATE)).isEqualTo(added);
    assertThat(resources(plan, ChangeAction.DELETE)).isEqualTo(gone);
    assertThat(resources(plan, ChangeAction.UPDATE))
        .anyMatch(r -> r.contains("CustomResourceDefinition"))
        .anyMatch(r -> r.contains("Deployment"));

    world.log().clear();
    InstallReport upgrade = ack(world).install();

    assertThat(resources(upgrade, ChangeAction.CREATE)).isEqualTo(added);
    assertThat(resources(upgrade, ChangeAction.DELETE)).isEqualTo(gone);
    assertThat(world.kubernetes().get(PROJECTS_CRD)).isPresent();
    Set<String> wantLabelled = new HashSet<>(after);
    wantLabelled.removeIf(r -> r.contains("CustomResourceDefinition") || r.contains("Namespace"));
    assertThat(labelled(world)).isEqualTo(wantLabelled);
    assertThat(ack(world).verify().healthy()).isTrue();

    world.log().clear();
    ack(world).install();
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void aScopeChangeRemovesWhatTheChartNoLongerRendersButNeverACrd(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    AckOnFakesTest.model(world, "team-a", "unused");
    AckOnFakesTest.model(world, "team-b", "unused");
    ack(world).install();
    long crds = AckOnFakesTest.ofKind(world, "CustomResourceDefinition").size();

    InstallReport report =
        ack(world).installScope("namespace").watchNamespace("team-a", "team-b").install();

    assertThat(resources(report, ChangeAction.DELETE))
        .containsExactlyInAnyOrder(
            "kubernetes:ClusterRole " + NAME + "-sagemaker-chart",
            "kubernetes:ClusterRoleBinding " + NAME + "-sagemaker-chart-rolebinding");
    assertThat(resources(report, ChangeAction.CREATE))
        .contains(
            "kubernetes:RoleBinding team-a/" + NAME + "-sagemaker-chart-team-a",
            "kubernetes:RoleBinding team-b/" + NAME + "-sagemaker-chart-team-b");
    assertThat(AckOnFakesTest.ofKind(world, "CustomResourceDefinition")).hasSize((int) crds);
    KubeObject dep = world.kubernetes().get(AckOnFakesTest.DEPLOYMENT).orElseThrow();
    assertThat(dep.json().toString()).contains("team-a,team-b");
    assertThat(
            ack(world)
                .installScope("namespace")
                .watchNamespace("team-a", "team-b")
                .verify()
                .healthy())
        .isTrue();
  }

  @Test
  void aHelmReleaseIsRefusedBeforeAnyWrite(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    helmInstall(world, true);
    world.log().clear();

    assertThatThrownBy(() -> ack(world).install())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("Helm")
        .hasMessageContaining(HELM_RECORD.name())
        .hasMessageContaining("--take-over-helm-release");
    assertThatThrownBy(() -> ack(world).plan()).isInstanceOf(ResourceConflictException.class);
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void takingOverAHelmReleaseLabelsItsObjectsAndDeletesItsRecords(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    helmInstall(world, true);

    InstallReport report = ack(world).takeOverHelmRelease().install();

    assertThat(resources(report, ChangeAction.DELETE))
        .containsExactly("kubernetes:" + HELM_RECORD.display());
    assertThat(world.kubernetes().get(HELM_RECORD)).isEmpty();
    assertThat(world.kubernetes().get(AckOnFakesTest.DEPLOYMENT).orElseThrow().labels())
        .containsEntry(Tags.MANAGED_BY_KEY, Tags.MANAGED_BY_VALUE)
        .containsEntry(Tags.RELEASE_KEY, NAME);
    assertThat(ack(world).verify().healthy()).isTrue();
    world.log().clear();
    ack(world).install();
    assertThat(world.log().writes()).isEmpty();
  }
}
