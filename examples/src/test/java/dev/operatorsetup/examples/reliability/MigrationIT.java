package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.testkit.LegacyFixtures;
import dev.operatorsetup.testkit.LegacyFixtures.Legacy;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration from the legacy operator to the ACK SageMaker controller on the real emulators:
 * moto_server (IAM, EKS, and SageMaker's training job, model, endpoint config and endpoint, created
 * there with SageMaker's Create calls) and the local control plane, the legacy operator installed
 * by operator-setup and its custom resources carrying the finalizer and a status as the legacy
 * controller writes it (through the status subresource). The ACK objects are validated by the ACK
 * CRDs' schemas on the real API server.
 */
@RequiresControlPlane
class MigrationIT {
  @RegisterExtension static final Emulators em = new Emulators("m");
  private final MigrationWorld w = new MigrationWorld(em);

  @AfterEach
  void cleanUp() {
    w.cleanUp();
  }

  @Test
  void migrate_adoptsEverySageMakerResource_leavesNoLegacyTrace_andARerunChangesNothing() {
    try (AwsPorts aws = w.aws()) {
      List<Legacy> legacy = w.legacyCluster(aws, n -> List.of());
      Map<String, Optional<Map<String, Object>>> before = MigrationWorld.describeAll(aws, legacy);
      assertThat(before.values()).hasSize(5).allMatch(Optional::isPresent);

      WriteFaults planned = new WriteFaults();
      InstallReport plan =
          MigrationWorld.ack(planned.aws(aws), planned.kubernetes(em.kube)).planMigration();
      assertThat(planned.writes()).as("writes of --dry-run").isEmpty();
      assertThat(plan.changes())
          .anyMatch(
              c ->
                  c.resource().equals("kubernetes:TrainingJob " + w.ns() + "/xgboost-train")
                      && c.action() == ChangeAction.CREATE);

      long start = System.nanoTime();
      WriteFaults counted = new WriteFaults();
      MigrationWorld.ack(counted.aws(aws), counted.kubernetes(em.kube)).migrate();
      System.out.println(
          "[MigrationIT] migrate: "
              + counted.writes().size()
              + " writes, "
              + Duration.ofNanos(System.nanoTime() - start).toMillis()
              + " ms");

      assertThat(MigrationWorld.describeAll(aws, legacy))
          .as("SageMaker after the migration")
          .isEqualTo(before);
      assertThat(w.sageMakerCalls()).isNotEmpty().allMatch(c -> c.startsWith("Describe"));
      KubeObject tj = em.kube.get(w.ackRef("TrainingJob", "xgboost-train")).orElseThrow();
      assertThat(tj.annotations())
          .containsEntry("services.k8s.aws/adoption-policy", "adopt")
          .containsEntry(
              "services.k8s.aws/adoption-fields", "{\"trainingJobName\":\"xgboost-train-1a2b\"}");
      assertThat(tj.json().at("/spec/roleARN").asText()).isEqualTo(LegacyFixtures.EXECUTION_ROLE);
      assertThat(em.kube.get(w.ackRef("Model", "xgboost-model")).orElseThrow().annotations())
          .containsEntry("services.k8s.aws/adoption-fields", "{\"modelName\":\"model-3c4d\"}");
      assertThat(em.kube.get(w.ackRef("Endpoint", "xgboost-hosting")).orElseThrow().annotations())
          .containsEntry(
              "services.k8s.aws/adoption-fields", "{\"endpointName\":\"xgboost-hosting-ep\"}");
      assertThat(
              em.kube
                  .get(w.ackRef("EndpointConfig", "xgboost-hosting"))
                  .orElseThrow()
                  .annotations())
          .containsEntry(
              "services.k8s.aws/adoption-fields",
              "{\"endpointConfigName\":\"xgboost-hosting-cfg\"}");
      assertThat(em.kube.get(w.ackRef("Model", "xgboost-hosting")).orElseThrow().annotations())
          .containsEntry("services.k8s.aws/adoption-fields", "{\"modelName\":\"m-5e6f\"}");
      for (String crd : LegacyFixtures.CRDS) {
        assertThat(em.kube.get(LegacyFixtures.crd(crd))).as("legacy CRD " + crd).isEmpty();
      }
      assertThat(em.kube.list(MigrationWorld.ACK_GROUP_VERSION, "TrainingJob", w.ns(), Map.of()))
          .hasSize(1);
      assertThat(em.kube.get(ObjectRef.of("v1", "Namespace", null, MigrationWorld.LEGACY_NS)))
          .isEmpty();
      assertThat(aws.roles().find(MigrationWorld.LEGACY_ROLE))
          .as("the legacy operator's role")
          .isEmpty();
      assertThat(aws.roles().find(MigrationWorld.ACK_ROLE)).isPresent();
      assertThat(MigrationWorld.ack(aws, em.kube).verify().healthy()).isTrue();

      WriteFaults again = new WriteFaults();
      InstallReport second =
          MigrationWorld.ack(again.aws(aws), again.kubernetes(em.kube)).migrate();
      assertThat(again.writes()).as("writes of a second migrate").isEmpty();
      assertThat(second.changed()).isFalse();
    }
  }

  @Test
  void aNeverSubmittedObject_exitsThreeNamingIt_withZeroWrites(@TempDir Path dir) {
    try (AwsPorts aws = w.aws();
        ProxiedCommand command = new ProxiedCommand(em, dir)) {
      List<Legacy> legacy =
          w.legacyCluster(
              aws,
              n -> List.of(LegacyFixtures.unsubmittedTrainingJob(n, "draft", Emulators.REGION)));
      Map<String, Optional<Map<String, Object>>> before = MigrationWorld.describeAll(aws, legacy);

      WriteLog writes = new WriteLog();
      ProxiedCommand.Run run = command.run(MigrationWorld.migrateArgs(command), writes);

      assertThat(run.exit()).as(run.output()).isEqualTo(3);
      assertThat(run.output())
          .contains("TrainingJob " + w.ns() + "/draft: never submitted")
          .doesNotContain("xgboost-train:");
      assertThat(writes.writes()).as("writes of a refused migrate, at the proxies").isEmpty();
      assertThat(em.kube.get(ObjectRef.of("v1", "Namespace", null, "ack-system"))).isEmpty();
      assertThat(MigrationWorld.describeAll(aws, legacy)).isEqualTo(before);

      WriteFaults counted = new WriteFaults();
      assertThatThrownBy(
              () -> MigrationWorld.ack(counted.aws(aws), counted.kubernetes(em.kube)).migrate())
          .isInstanceOf(ResourceConflictException.class)
          .hasMessageContaining("TrainingJob " + w.ns() + "/draft");
      assertThat(counted.writes()).as("writes of a refused migrate, in the JVM").isEmpty();
    }
  }
}
