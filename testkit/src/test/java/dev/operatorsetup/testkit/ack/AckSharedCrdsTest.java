package dev.operatorsetup.testkit.ack;

import static dev.operatorsetup.testkit.ack.AckOnFakesTest.CLUSTER;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.REGION;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.ack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.FakeWorldExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CRDs of {@code services.k8s.aws} (FieldExport, IAMRoleSelector) ship with every ACK
 * controller's chart and are shared by all of them: uninstalling our ACK SageMaker controller keeps
 * such a CRD, reported "kept (shared)", while another ACK controller runs or any object of it
 * exists, and deletes it otherwise.
 */
@ExtendWith(FakeWorldExtension.class)
class AckSharedCrdsTest {
  static final String FIELD_EXPORTS = "fieldexports.services.k8s.aws";
  static final String IAM_ROLE_SELECTORS = "iamroleselectors.services.k8s.aws";
  static final String TRAINING_JOBS = "trainingjobs.sagemaker.services.k8s.aws";

  static ObjectRef crd(String name) {
    return ObjectRef.of("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, name);
  }

  static void apply(FakeWorld world, String json) {
    world.kubernetes().apply(KubeObject.parse(json), "kubectl", false);
  }

  static void namespace(FakeWorld world, String ns) {
    apply(
        world,
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
  }

  /** Another ACK controller (S3), installed by someone else in a namespace of its own. */
  static void s3Controller(FakeWorld world) {
    namespace(world, "ack-s3");
    apply(
        world,
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":"
            + "\"ack-s3-controller\",\"namespace\":\"ack-s3\"},\"spec\":{\"replicas\":1,"
            + "\"selector\":{\"matchLabels\":{\"app\":\"s3\"}},\"template\":{\"metadata\":"
            + "{\"labels\":{\"app\":\"s3\"}},\"spec\":{\"containers\":[{\"name\":\"controller\","
            + "\"image\":\"public.ecr.aws/aws-controllers-k8s/s3-controller:1.0.14\"}]}}}}");
  }

  static List<String> kept(InstallReport report) {
    return report.changes().stream()
        .filter(c -> c.action() == ChangeAction.UNCHANGED)
        .filter(c -> c.detail().startsWith("kept (shared)"))
        .map(Change::resource)
        .toList();
  }

  @Test
  void anotherAckControllerRunning_keepsTheSharedCrds_andRemovesOurOwn(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world).install();
    s3Controller(world);

    InstallReport report = ack(world).uninstall();

    assertThat(kept(report))
        .containsExactlyInAnyOrder(
            "kubernetes:CustomResourceDefinition " + FIELD_EXPORTS,
            "kubernetes:CustomResourceDefinition " + IAM_ROLE_SELECTORS);
    assertThat(report.changes())
        .filteredOn(c -> c.detail().startsWith("kept (shared)"))
        .allMatch(c -> c.detail().contains("Deployment ack-s3/ack-s3-controller"));
    assertThat(world.kubernetes().get(crd(FIELD_EXPORTS))).isPresent();
    assertThat(world.kubernetes().get(crd(IAM_ROLE_SELECTORS))).isPresent();
    assertThat(world.kubernetes().get(crd(TRAINING_JOBS))).isEmpty();
  }

  @Test
  void anObjectOfASharedCrd_keepsThatCrdAndTheObject_andDoesNotBlockUninstall(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world).install();
    namespace(world, "team-a");
    apply(
        world,
        "{\"apiVersion\":\"services.k8s.aws/v1alpha1\",\"kind\":\"FieldExport\",\"metadata\":"
            + "{\"name\":\"bucket-arn\",\"namespace\":\"team-a\"},\"spec\":{\"to\":{\"name\":"
            + "\"cm\",\"kind\":\"configmap\"},\"from\":{\"path\":\".status.ackResourceMetadata"
            + ".arn\",\"resource\":{\"group\":\"s3.services.k8s.aws\",\"kind\":\"Bucket\","
            + "\"name\":\"b\"}}}}");

    InstallReport report = ack(world).uninstall();

    assertThat(kept(report))
        .containsExactly("kubernetes:CustomResourceDefinition " + FIELD_EXPORTS);
    assertThat(world.kubernetes().get(crd(FIELD_EXPORTS))).isPresent();
    assertThat(
            world
                .kubernetes()
                .get(
                    ObjectRef.of(
                        "services.k8s.aws/v1alpha1", "FieldExport", "team-a", "bucket-arn")))
        .isPresent();
    assertThat(world.kubernetes().get(crd(IAM_ROLE_SELECTORS))).isEmpty();
    assertThat(world.kubernetes().get(crd(TRAINING_JOBS))).isEmpty();
  }

  @Test
  void noOtherControllerAndNoObjects_removesTheSharedCrdsToo(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    ack(world).install();

    InstallReport report = ack(world).uninstall();

    assertThat(kept(report)).isEmpty();
    assertThat(world.kubernetes().get(crd(FIELD_EXPORTS))).isEmpty();
    assertThat(world.kubernetes().get(crd(IAM_ROLE_SELECTORS))).isEmpty();
  }
}
