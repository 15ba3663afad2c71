package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.helm.HelmCharts;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.OperatorTarget;
import dev.operatorsetup.testkit.LegacyFixtures;
import dev.operatorsetup.testkit.LegacyFixtures.Legacy;
import dev.operatorsetup.testkit.moto.MotoSageMaker;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
  static final String CLUSTER = "migration";
  static final String LEGACY_ROLE = "legacy-sagemaker-operator";
  static final String ACK_ROLE = "ack-sagemaker-controller";
  static final String LEGACY_NS = "sagemaker-k8s-operator-system";
  static final String ACK_GROUP_VERSION = "sagemaker.services.k8s.aws/v1alpha1";
  static final Duration TIMEOUT = Duration.ofMinutes(3);
  static final List<String> LEGACY_CRDS =
      List.of(
          "trainingjobs",
          "hyperparametertuningjobs",
          "batchtransformjobs",
          "processingjobs",
          "models",
          "endpointconfigs",
          "hostingdeployments",
          "hostingautoscalingpolicies");
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final Emulators em = new Emulators("m");

  /** The SageMaker operations each run called, from the AWS adapter's call listener. */
  private final List<String> sageMakerCalls = Collections.synchronizedList(new ArrayList<>());

  private String ns;

  /** AWS ports on moto that note every SageMaker call. */
  private AwsPorts aws() {
    return AwsPorts.builder()
        .region(Emulators.REGION)
        .credentialsProvider(Emulators.CREDENTIALS)
        .endpointOverride(em.moto.endpoint())
        .consistencyTimeout(Duration.ofSeconds(10))
        .callListener(
            (service, operation, write) -> {
              if (service.equals("sagemaker")) {
                sageMakerCalls.add(operation + (write ? " (write)" : ""));
              }
            })
        .build();
  }

  static OperatorSetup.Options legacy(AwsServices aws, Kubernetes kube) {
    return OperatorSetup.forCluster(CLUSTER)
        .inRegion(Emulators.REGION)
        .withRole(LEGACY_ROLE)
        .withAws(aws)
        .withKubernetes(kube)
        .withTimeout(TIMEOUT);
  }

  static OperatorSetup.Options ack(AwsServices aws, Kubernetes kube) {
    return OperatorSetup.forCluster(CLUSTER)
        .inRegion(Emulators.REGION)
        .withRole(ACK_ROLE)
        .withAws(aws)
        .withKubernetes(kube)
        .withTimeout(TIMEOUT)
        .withTarget(OperatorTarget.ack())
        .withChartRenderer(HelmCharts.renderer());
  }

  /**
   * The legacy operator installed by operator-setup, and legacy objects as its controller left
   * them.
   */
  List<Legacy> legacyCluster(
      AwsServices aws, java.util.function.Function<String, List<Legacy>> extra) {
    em.cluster(CLUSTER);
    legacy(aws, em.kube).install();
    ns = em.namespace("team");
    em.kube.apply(
        KubeObject.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + ns
                + "\"}}"),
        "kubectl",
        false);
    List<Legacy> all = new ArrayList<>();
    all.add(
        LegacyFixtures.trainingJob(ns, "xgboost-train", Emulators.REGION, "xgboost-train-1a2b"));
    all.add(LegacyFixtures.model(ns, "xgboost-model", Emulators.REGION, "model-3c4d"));
    all.add(
        LegacyFixtures.hostingDeployment(
            ns,
            "xgboost-hosting",
            Emulators.REGION,
            "xgboost-hosting-ep",
            "xgboost-hosting-cfg",
            "m-5e6f"));
    all.addAll(extra.apply(ns));
    MotoSageMaker sageMaker = new MotoSageMaker(em.moto);
    for (Legacy l : all) {
      declare(l);
      for (LegacyFixtures.SageMakerResource r : l.sageMaker()) {
        sageMaker.create(Emulators.REGION, r.kind(), toJson(r.create()));
      }
    }
    return all;
  }

  /** Applies the legacy object, then writes its status as the legacy controller does. */
  void declare(Legacy l) {
    em.kube.apply(l.object(), "kubectl", false);
    if (!l.status().isEmpty()) {
      em.kubectl(
          "patch",
          l.object().kind().toLowerCase(java.util.Locale.ROOT) + ".sagemaker.aws.amazon.com",
          "-n",
          l.object().namespace().orElseThrow(),
          l.object().name(),
          "--subresource=status",
          "--type=merge",
          "-p",
          "{\"status\":" + l.status() + "}");
    }
  }

  static Map<String, Optional<Map<String, Object>>> describeAll(
      AwsServices aws, List<Legacy> legacy) {
    Map<String, Optional<Map<String, Object>>> out = new TreeMap<>();
    for (Legacy l : legacy) {
      for (LegacyFixtures.SageMakerResource r : l.sageMaker()) {
        out.put(r.kind() + "/" + r.name(), aws.sageMaker().describe(r.kind(), r.name()));
      }
    }
    return out;
  }

  static String toJson(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  ObjectRef ackRef(String kind, String name) {
    return ObjectRef.of(ACK_GROUP_VERSION, kind, ns, name);
  }

  @AfterEach
  void cleanUp() {
    try (AwsPorts aws = aws()) {
      ack(aws, em.kube).retainAwsResources().removeFinalizers().uninstall();
      legacy(aws, em.kube).removeFinalizers().uninstall();
    }
  }

  @Test
  void migrate_adoptsEverySageMakerResource_leavesNoLegacyTrace_andARerunChangesNothing() {
    try (AwsPorts aws = aws()) {
      List<Legacy> legacy = legacyCluster(aws, n -> List.of());
      Map<String, Optional<Map<String, Object>>> before = describeAll(aws, legacy);
      assertThat(before.values()).hasSize(5).allMatch(Optional::isPresent);

      WriteFaults planned = new WriteFaults();
      InstallReport plan = ack(planned.aws(aws), planned.kubernetes(em.kube)).planMigration();
      assertThat(planned.writes()).as("writes of --dry-run").isEmpty();
      assertThat(plan.changes())
          .anyMatch(
              c ->
                  c.resource().equals("kubernetes:TrainingJob " + ns + "/xgboost-train")
                      && c.action() == ChangeAction.CREATE);

      long start = System.nanoTime();
      WriteFaults counted = new WriteFaults();
      ack(counted.aws(aws), counted.kubernetes(em.kube)).migrate();
      System.out.println(
          "[MigrationIT] migrate: "
              + counted.writes().size()
              + " writes, "
              + Duration.ofNanos(System.nanoTime() - start).toMillis()
              + " ms");

      assertThat(describeAll(aws, legacy)).as("SageMaker after the migration").isEqualTo(before);
      assertThat(sageMakerCalls).isNotEmpty().allMatch(c -> c.startsWith("Describe"));
      KubeObject tj = em.kube.get(ackRef("TrainingJob", "xgboost-train")).orElseThrow();
      assertThat(tj.annotations())
          .containsEntry("services.k8s.aws/adoption-policy", "adopt")
          .containsEntry(
              "services.k8s.aws/adoption-fields", "{\"trainingJobName\":\"xgboost-train-1a2b\"}");
      assertThat(tj.json().at("/spec/roleARN").asText()).isEqualTo(LegacyFixtures.EXECUTION_ROLE);
      assertThat(em.kube.get(ackRef("Model", "xgboost-model")).orElseThrow().annotations())
          .containsEntry("services.k8s.aws/adoption-fields", "{\"modelName\":\"model-3c4d\"}");
      assertThat(em.kube.get(ackRef("Endpoint", "xgboost-hosting")).orElseThrow().annotations())
          .containsEntry(
              "services.k8s.aws/adoption-fields", "{\"endpointName\":\"xgboost-hosting-ep\"}");
      assertThat(
              em.kube.get(ackRef("EndpointConfig", "xgboost-hosting")).orElseThrow().annotations())
          .containsEntry(
              "services.k8s.aws/adoption-fields",
              "{\"endpointConfigName\":\"xgboost-hosting-cfg\"}");
      assertThat(em.kube.get(ackRef("Model", "xgboost-hosting")).orElseThrow().annotations())
          .containsEntry("services.k8s.aws/adoption-fields", "{\"modelName\":\"m-5e6f\"}");
      for (String plural : LEGACY_CRDS) {
        ObjectRef crd =
            ObjectRef.of(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                null,
                plural + ".sagemaker.aws.amazon.com");
        assertThat(em.kube.get(crd)).as("legacy CRD " + plural).isEmpty();
      }
      assertThat(em.kube.list(ACK_GROUP_VERSION, "TrainingJob", ns, Map.of())).hasSize(1);
      assertThat(em.kube.get(ObjectRef.of("v1", "Namespace", null, LEGACY_NS))).isEmpty();
      assertThat(aws.roles().find(LEGACY_ROLE)).as("the legacy operator's role").isEmpty();
      assertThat(aws.roles().find(ACK_ROLE)).isPresent();
      assertThat(ack(aws, em.kube).verify().healthy()).isTrue();

      WriteFaults again = new WriteFaults();
      InstallReport second = ack(again.aws(aws), again.kubernetes(em.kube)).migrate();
      assertThat(again.writes()).as("writes of a second migrate").isEmpty();
      assertThat(second.changed()).isFalse();
    }
  }

  /** The command's migrate arguments, through the proxies, with the ACK controller's role. */
  static List<String> migrateArgs(ProxiedCommand command, String... more) {
    List<String> args = new ArrayList<>(command.args("migrate", CLUSTER, null));
    args.set(args.indexOf("--role") + 1, ACK_ROLE);
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void aNeverSubmittedObject_exitsThreeNamingIt_withZeroWrites(@TempDir Path dir) {
    try (AwsPorts aws = aws();
        ProxiedCommand command = new ProxiedCommand(em, dir)) {
      List<Legacy> legacy =
          legacyCluster(
              aws,
              n -> List.of(LegacyFixtures.unsubmittedTrainingJob(n, "draft", Emulators.REGION)));
      Map<String, Optional<Map<String, Object>>> before = describeAll(aws, legacy);

      WriteLog writes = new WriteLog();
      ProxiedCommand.Run run = command.run(migrateArgs(command), writes);

      assertThat(run.exit()).as(run.output()).isEqualTo(3);
      assertThat(run.output())
          .contains("TrainingJob " + ns + "/draft: never submitted")
          .doesNotContain("xgboost-train:");
      assertThat(writes.writes()).as("writes of a refused migrate, at the proxies").isEmpty();
      assertThat(em.kube.get(ObjectRef.of("v1", "Namespace", null, "ack-system"))).isEmpty();
      assertThat(describeAll(aws, legacy)).isEqualTo(before);

      WriteFaults counted = new WriteFaults();
      assertThatThrownBy(() -> ack(counted.aws(aws), counted.kubernetes(em.kube)).migrate())
          .isInstanceOf(ResourceConflictException.class)
          .hasMessageContaining("TrainingJob " + ns + "/draft");
      assertThat(counted.writes()).as("writes of a refused migrate, in the JVM").isEmpty();
    }
  }
}
