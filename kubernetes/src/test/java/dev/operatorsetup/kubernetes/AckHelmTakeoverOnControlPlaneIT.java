package dev.operatorsetup.kubernetes;

import static dev.operatorsetup.kubernetes.AckOnControlPlaneIT.DEPLOYMENT;
import static dev.operatorsetup.kubernetes.AckOnControlPlaneIT.NAME;
import static dev.operatorsetup.kubernetes.AckOnControlPlaneIT.NS;
import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.ISSUER;
import static dev.operatorsetup.testkit.Example.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.helm.HelmCharts;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.OperatorTarget;
import dev.operatorsetup.testkit.AckCharts;
import dev.operatorsetup.testkit.InMemoryAws;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Helm-installed ACK controller on the real plane, installed by the real Helm CLI ({@code
 * $OPERATOR_SETUP_HELM}, built by {@code scripts/helm build}): install refuses it naming the
 * release, verify reports it, and a takeover makes it operator-setup's. Without the CLI the test
 * fails in CI ({@code CI=true}) and is skipped, saying why, elsewhere.
 */
@RequiresControlPlane
class AckHelmTakeoverOnControlPlaneIT {
  static final String ROLE = "ack-sagemaker";

  private Kubernetes k8s;
  private Path kubeconfig;
  private String helm;
  private InMemoryAws aws;

  @BeforeEach
  void setUp(ControlPlane plane) {
    helm = System.getenv("OPERATOR_SETUP_HELM");
    if (helm == null || helm.isBlank()) {
      String reason =
          "OPERATOR_SETUP_HELM is not set (the Helm CLI; `export"
              + " OPERATOR_SETUP_HELM=\"$(scripts/helm build)\"`)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(reason + ": required in CI");
      }
      System.out.println("AckHelmTakeoverOnControlPlaneIT skipped: " + reason);
      Assumptions.abort(reason);
    }
    kubeconfig = plane.kubeconfig();
    k8s = KubernetesPorts.fromKubeconfig(kubeconfig);
    aws = new InMemoryAws();
    aws.addCluster(REGION, CLUSTER, ISSUER);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (k8s == null) {
      return;
    }
    if (!helm("list", "-n", NS, "-q").isBlank()) {
      helm("uninstall", NAME, "-n", NS, "--wait");
    }
    ack().removeFinalizers().retainAwsResources().uninstall();
    for (KubeObject crd :
        k8s.list(AckOnControlPlaneIT.CRD_API, AckOnControlPlaneIT.CRD, null, Map.of())) {
      if (crd.name().endsWith(".services.k8s.aws")) {
        k8s.delete(crd.ref());
      }
    }
    ObjectRef ns = ObjectRef.of("v1", "Namespace", null, NS);
    k8s.delete(ns);
    k8s.awaitDeleted(ns, Duration.ofMinutes(1));
    k8s.close();
  }

  OperatorSetup.Options ack() {
    return OperatorSetup.forCluster(CLUSTER)
        .inRegion(REGION)
        .withRole(ROLE)
        .withAws(aws.services(REGION))
        .withKubernetes(k8s)
        .withTimeout(AckOnControlPlaneIT.TIMEOUT)
        .withTarget(OperatorTarget.ack())
        .withChartRenderer(HelmCharts.renderer())
        .withChart(AckCharts.v191());
  }

  /** Runs the Helm CLI against the plane; returns its standard output, fails on a non-zero exit. */
  String helm(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(helm));
    command.addAll(List.of(args));
    command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  List<KubeObject> releaseRecords() {
    return k8s.list("v1", "Secret", NS, Map.of("owner", "helm"));
  }

  @Test
  void aHelmInstall_isRefusedNamingTheRelease_reported_thenTakenOver() throws Exception {
    helm(
        "install",
        NAME,
        AckCharts.v191().toString(),
        "-n",
        NS,
        "--create-namespace",
        "--set",
        "aws.region=" + REGION);
    assertThat(helm("list", "-n", NS, "-q").trim()).isEqualTo(NAME);
    assertThat(releaseRecords()).isNotEmpty();

    assertThatThrownBy(() -> ack().install())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("Helm")
        .hasMessageContaining(NS + "/" + NAME)
        .hasMessageContaining("--take-over-helm-release");
    assertThat(k8s.get(DEPLOYMENT).orElseThrow().labels()).doesNotContainKey(Tags.RELEASE_KEY);
    InstallReport doctor = ack().diagnose();
    assertThat(doctor.checks())
        .filteredOn(c -> c.name().equals("helm-release"))
        .singleElement()
        .satisfies(c -> assertThat(c.ok()).isFalse())
        .extracting(Check::fix)
        .satisfies(f -> assertThat(f.orElseThrow()).contains("--take-over-helm-release"));

    ack().takeOverHelmRelease().install();

    assertThat(releaseRecords()).as("Helm's release records").isEmpty();
    assertThat(helm("list", "-n", NS, "-q")).isBlank();
    for (KubeObject object : ack().renderObjects()) {
      if (object.kind().equals("Namespace") || sharedAckCrd(object)) {
        continue; // CRDs of ACK's shared group stay whoever else's they are
      }
      KubeObject live = k8s.get(object.ref()).orElseThrow(() -> new AssertionError(object));
      assertThat(live.labels())
          .as(object.ref().display())
          .containsEntry(Tags.MANAGED_BY_KEY, Tags.MANAGED_BY_VALUE);
      assertThat(managers(live)).as(object.ref().display()).contains("operator-setup");
    }
    InstallReport verify = ack().verify();
    assertThat(verify.healthy()).as(verify.checks().toString()).isTrue();
    aws.log().clear();
    InstallReport again = ack().install();
    assertThat(again.changed()).as(again.changes().toString()).isFalse();
    assertThat(aws.log().writes()).isEmpty();

    ack().uninstall();

    for (String[] kind : AckOnControlPlaneIT.KINDS) {
      assertThat(k8s.list(kind[0], kind[1], null, Map.of(Tags.RELEASE_KEY, NAME)))
          .as(kind[1] + " of the release")
          .filteredOn(o -> !sharedAckCrd(o))
          .isEmpty();
    }
    // The SageMaker CRDs go; the two of ACK's shared group (FieldExport, IAMRoleSelector), which
    // other ACK controllers use too, were not taken over and stay.
    assertThat(k8s.list(AckOnControlPlaneIT.CRD_API, AckOnControlPlaneIT.CRD, null, Map.of()))
        .extracting(KubeObject::name)
        .noneMatch(n -> n.endsWith(".sagemaker.services.k8s.aws"))
        .contains("fieldexports.services.k8s.aws", "iamroleselectors.services.k8s.aws");
  }

  static boolean sharedAckCrd(KubeObject object) {
    return object.kind().equals(AckOnControlPlaneIT.CRD)
        && object.at("/spec/group").asText("").equals("services.k8s.aws");
  }

  static List<String> managers(KubeObject live) {
    List<String> out = new ArrayList<>();
    for (JsonNode entry : live.at("/metadata/managedFields")) {
      if ("Apply".equals(entry.path("operation").asText())) {
        out.add(entry.path("manager").asText());
      }
    }
    return out;
  }
}
