package dev.operatorsetup.testkit.ack;

import static dev.operatorsetup.testkit.ack.AckOnFakesTest.CLUSTER;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.NAME;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.NS;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.REGION;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.ack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.FakeWorldExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** verify and doctor report a Helm-installed ACK controller by its release record. */
@ExtendWith(FakeWorldExtension.class)
class AckHelmReleaseCheckTest {
  static final String RECORD = "sh.helm.release.v1." + NAME + ".v1";

  /**
   * What `helm install` leaves: the chart's objects with Helm's labels, its {@code crds/} as they
   * are (no label, no annotation), and a release record.
   */
  static void helmInstall(FakeWorld world) {
    helmInstall(world, false);
  }

  /**
   * Installs as `helm install` would: Helm's labels and annotations, and its release record; {@code
   * labelCrds} gives the CRDs Helm's labels too, as if they were templates, not {@code crds/}.
   */
  static void helmInstall(FakeWorld world, boolean labelCrds) {
    for (KubeObject o : ack(world).renderObjects()) {
      KubeObject helm =
          !labelCrds && o.kind().equals("CustomResourceDefinition")
              ? o.edit(n -> ((ObjectNode) n.get("metadata")).remove("labels"))
              : o.edit(
                  n -> {
                    ObjectNode md = (ObjectNode) n.get("metadata");
                    if (md.get("labels") instanceof ObjectNode labels) {
                      labels.remove(Tags.RELEASE_KEY);
                      labels.put(Tags.MANAGED_BY_KEY, "Helm");
                    }
                    md.putObject("annotations").put("meta.helm.sh/release-name", NAME);
                  });
      world.kubernetes().apply(helm, "helm", false);
    }
    world
        .kubernetes()
        .apply(
            KubeObject.parse(
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"helm.sh/release.v1\","
                    + "\"metadata\":{\"name\":\""
                    + RECORD
                    + "\",\"namespace\":\""
                    + NS
                    + "\",\"labels\":{\"owner\":\"helm\",\"name\":\""
                    + NAME
                    + "\",\"status\":\"deployed\",\"version\":\"1\"}},"
                    + "\"data\":{\"release\":\"SDRzSQ==\"}}"),
            "helm",
            false);
  }

  private static Check helmRelease(InstallReport report) {
    return report.checks().stream()
        .filter(c -> c.name().equals("helm-release"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no helm-release check in " + report.checks()));
  }

  @Test
  void verifyAndDoctorReportAHelmReleaseWithTheTakeOverFix(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    helmInstall(world);
    world.log().clear();

    for (InstallReport report : new InstallReport[] {ack(world).verify(), ack(world).diagnose()}) {
      Check check = helmRelease(report);
      assertThat(check.ok()).isFalse();
      assertThat(report.healthy()).isFalse();
      assertThat(check.detail()).contains("Helm", NS + "/" + NAME, RECORD);
      assertThat(check.fix().orElseThrow())
          .contains("--take-over-helm-release", ".takeOverHelmRelease()");
    }
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void afterATakeOverTheCheckPasses(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    helmInstall(world);
    ack(world).takeOverHelmRelease().install();

    InstallReport verify = ack(world).verify();

    assertThat(helmRelease(verify).ok()).isTrue();
    assertThat(verify.healthy()).as(verify.checks().toString()).isTrue();
  }

  @Test
  void aTakeOverOwnsTheChartsUnlabelledSageMakerCrdsSoUninstallRemovesThem(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    helmInstall(world);
    ack(world).takeOverHelmRelease().install();

    // The SageMaker CRDs are the release's; the two of ACK's shared group (FieldExport,
    // IAMRoleSelector), which other ACK controllers use too, are left as they were.
    assertThat(world.kubernetes().objects())
        .filteredOn(o -> o.kind().equals("CustomResourceDefinition") && !sharedGroup(o))
        .isNotEmpty()
        .allMatch(o -> Tags.isOurs(o.labels()), "labelled managed-by=operator-setup");
    assertThat(world.kubernetes().objects())
        .filteredOn(o -> o.kind().equals("CustomResourceDefinition") && sharedGroup(o))
        .hasSize(2)
        .noneMatch(o -> Tags.isOurs(o.labels()));

    ack(world).uninstall();

    assertThat(world.kubernetes().objects())
        .filteredOn(o -> o.kind().equals("CustomResourceDefinition"))
        .allMatch(AckHelmReleaseCheckTest::sharedGroup)
        .hasSize(2);
  }

  private static boolean sharedGroup(dev.operatorsetup.model.KubeObject crd) {
    return crd.at("/spec/group").asText("").equals("services.k8s.aws");
  }

  @Test
  void anInstallOfOursHasNoHelmReleaseFinding(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world).install();

    assertThat(helmRelease(ack(world).diagnose()).ok()).isTrue();
  }
}
