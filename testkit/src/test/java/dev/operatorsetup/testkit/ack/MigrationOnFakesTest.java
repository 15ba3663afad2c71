package dev.operatorsetup.testkit.ack;

import static dev.operatorsetup.testkit.ack.AckOnFakesTest.CLUSTER;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.REGION;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.RENDERER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.SageMakerKind;
import dev.operatorsetup.port.SageMakerResources;
import dev.operatorsetup.targets.OperatorTarget;
import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.FakeWorldExtension;
import dev.operatorsetup.testkit.LegacyFixtures;
import dev.operatorsetup.testkit.LegacyFixtures.Legacy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The migration from the legacy operator to ACK, on the fakes. */
@ExtendWith(FakeWorldExtension.class)
class MigrationOnFakesTest {
  static final String LEGACY_ROLE = "legacy-operator";
  static final String ACK_ROLE = "ack-sagemaker";
  static final String NS = "ml-team";
  static final ObjectMapper JSON = new ObjectMapper();

  /** One issuer for every world, so that worlds compare equal. */
  static final String ISSUER = FakeWorld.newIssuer(REGION);

  /**
   * Puts a SageMaker resource as Describe returns it: the Create request and what SageMaker adds.
   */
  static void putSageMaker(FakeWorld world, LegacyFixtures.SageMakerResource r) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(r.create());
    out.put("CreationTime", 1.7E9);
    out.put(
        r.kind().nameMember().replace("Name", "Arn"),
        "arn:aws:sagemaker:" + REGION + ":012345678910:x/" + r.name());
    world.aws().putSageMaker(REGION, r.kind(), out);
  }

  /** Every SageMaker resource's Describe output, by kind and name. */
  static Map<String, Optional<Map<String, Object>>> describeAll(
      FakeWorld world, List<Legacy> legacy) {
    Map<String, Optional<Map<String, Object>>> out = new java.util.TreeMap<>();
    SageMakerResources sm = world.aws().services(REGION).sageMaker();
    for (Legacy l : legacy) {
      for (LegacyFixtures.SageMakerResource r : l.sageMaker()) {
        out.put(r.kind() + "/" + r.name(), sm.describe(r.kind(), r.name()));
      }
    }
    return out;
  }

  /** Whether every SageMaker call in the log was a read. */
  static boolean sageMakerOnlyRead(FakeWorld world) {
    return world.log().calls().stream()
        .filter(c -> c.service().equals("sagemaker"))
        .noneMatch(dev.operatorsetup.testkit.CallLog.Call::write);
  }

  static OperatorSetup.Options legacy(FakeWorld world) {
    return world.setup(CLUSTER, REGION, LEGACY_ROLE);
  }

  static OperatorSetup.Options ack(FakeWorld world) {
    return world
        .setup(CLUSTER, REGION, ACK_ROLE)
        .withTarget(OperatorTarget.ack())
        .withChartRenderer(RENDERER)
        .withChart(dev.operatorsetup.testkit.AckCharts.v191());
  }

  static void declare(FakeWorld world, Legacy l) {
    world.kubernetes().apply(l.object(), "kubectl", false);
    world.kubernetes().putStatus(l.object().ref(), l.status());
    l.sageMaker().forEach(r -> putSageMaker(world, r));
  }

  static void namespace(FakeWorld world, String ns) {
    world
        .kubernetes()
        .apply(dev.operatorsetup.testkit.LegacyFixtures.namespace(ns), "kubectl", false);
  }

  static ObjectRef ackRef(String kind, String name) {
    return ObjectRef.of("sagemaker.services.k8s.aws/v1alpha1", kind, NS, name);
  }

  static List<Legacy> legacyCluster(FakeWorld world) {
    world.aws().addCluster(REGION, CLUSTER, ISSUER);
    legacy(world).install();
    namespace(world, NS);
    List<Legacy> all =
        List.of(
            LegacyFixtures.trainingJob(NS, "xgboost-train", REGION, "xgboost-train-1a2b"),
            LegacyFixtures.model(NS, "xgboost-model", REGION, "model-3c4d"),
            LegacyFixtures.hostingDeployment(
                NS,
                "xgboost-hosting",
                REGION,
                "xgboost-hosting-ep",
                "xgboost-hosting-cfg",
                "m-5e6f"));
    all.forEach(l -> declare(world, l));
    return all;
  }

  @Test
  void planWritesNothingAndNamesEveryChange(FakeWorld world) {
    List<Legacy> legacy = legacyCluster(world);
    world.log().clear();

    InstallReport plan = ack(world).planMigration();

    assertThat(world.log().writes()).isEmpty();
    assertThat(plan.changes())
        .anyMatch(
            c ->
                c.resource().equals("kubernetes:TrainingJob " + NS + "/xgboost-train")
                    && c.action() == ChangeAction.CREATE
                    && c.detail().contains("xgboost-train-1a2b"))
        .anyMatch(
            c ->
                c.resource().equals("kubernetes:Endpoint " + NS + "/xgboost-hosting")
                    && c.action() == ChangeAction.CREATE)
        .anyMatch(
            c ->
                c.resource().contains("Deployment")
                    && c.resource().contains("sagemaker-k8s-operator-controller-manager")
                    && c.action() == ChangeAction.UPDATE)
        .anyMatch(
            c ->
                c.resource().equals("kubernetes:HostingDeployment " + NS + "/xgboost-hosting")
                    && c.action() == ChangeAction.DELETE)
        .anyMatch(
            c ->
                c.resource().contains("iam:role/" + LEGACY_ROLE)
                    || c.resource().contains(LEGACY_ROLE));
    assertThat(sageMakerOnlyRead(world)).isTrue();
  }

  @Test
  void migrateAdoptsEverySageMakerResourceAndLeavesNoLegacyTrace(FakeWorld world) {
    List<Legacy> legacy = legacyCluster(world);
    Map<String, Optional<Map<String, Object>>> before = describeAll(world, legacy);

    ack(world).migrate();

    KubeObject tj = world.kubernetes().get(ackRef("TrainingJob", "xgboost-train")).orElseThrow();
    assertThat(tj.annotations())
        .containsEntry("services.k8s.aws/adoption-policy", "adopt")
        .containsEntry(
            "services.k8s.aws/adoption-fields", "{\"trainingJobName\":\"xgboost-train-1a2b\"}");
    assertThat(tj.json().at("/spec/roleARN").asText()).isEqualTo(LegacyFixtures.EXECUTION_ROLE);
    assertThat(tj.json().at("/spec/resourceConfig/volumeSizeInGB").asInt()).isEqualTo(5);
    assertThat(tj.json().at("/spec/hyperParameters/max_depth").asText()).isEqualTo("5");
    assertThat(
            world
                .kubernetes()
                .get(ackRef("Endpoint", "xgboost-hosting"))
                .orElseThrow()
                .annotations())
        .containsEntry(
            "services.k8s.aws/adoption-fields", "{\"endpointName\":\"xgboost-hosting-ep\"}");
    assertThat(world.kubernetes().get(ackRef("EndpointConfig", "xgboost-hosting"))).isPresent();
    assertThat(world.kubernetes().get(ackRef("Model", "xgboost-hosting"))).isPresent();
    assertThat(world.kubernetes().get(ackRef("Model", "xgboost-model"))).isPresent();
    assertThat(world.kubernetes().objects())
        .noneMatch(o -> o.apiVersion().startsWith("sagemaker.aws.amazon.com"))
        .noneMatch(o -> o.name().endsWith(".sagemaker.aws.amazon.com"))
        .noneMatch(
            o -> o.kind().equals("Namespace") && o.name().equals("sagemaker-k8s-operator-system"));
    assertThat(world.aws().roleNames()).doesNotContain(LEGACY_ROLE).contains(ACK_ROLE);
    assertThat(describeAll(world, legacy)).isEqualTo(before);
    assertThat(before.values()).allMatch(Optional::isPresent);
    assertThat(sageMakerOnlyRead(world)).isTrue();
    assertThat(ack(world).verify().healthy()).isTrue();

    world.log().clear();
    ack(world).migrate();
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void aNeverSubmittedObjectIsRefusedByNameBeforeAnyWrite(FakeWorld world) {
    List<Legacy> legacy = legacyCluster(world);
    declare(world, LegacyFixtures.unsubmittedTrainingJob(NS, "draft", REGION));
    declare(world, LegacyFixtures.autoscalingPolicy(NS, "scale-me", REGION));
    world.log().clear();

    assertThatThrownBy(() -> ack(world).migrate())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("TrainingJob " + NS + "/draft: never submitted")
        .hasMessageContaining("HostingAutoscalingPolicy " + NS + "/scale-me")
        .hasMessageNotContaining("xgboost-train:");
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void aNamespaceScopedControllerMustWatchTheLegacyObjectsNamespaces(FakeWorld world) {
    legacyCluster(world);
    namespace(world, "elsewhere");
    world.log().clear();

    assertThatThrownBy(
            () -> ack(world).installScope("namespace").watchNamespace("elsewhere").migrate())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining(
            "TrainingJob " + NS + "/xgboost-train: the ACK controller is to watch")
        .hasMessageContaining("--watch-namespace " + NS);
    assertThat(world.log().writes()).isEmpty();

    ack(world).installScope("namespace").watchNamespace(NS).migrate();
    assertThat(world.kubernetes().get(ackRef("TrainingJob", "xgboost-train"))).isPresent();
  }

  @Test
  void aSageMakerResourceThatIsGoneIsReportedAndItsLegacyObjectOnlyRemoved(FakeWorld world) {
    List<Legacy> legacy = legacyCluster(world);
    world.aws().removeSageMaker(REGION, SageMakerKind.TRAINING_JOB, "xgboost-train-1a2b");

    InstallReport report = ack(world).migrate();

    assertThat(world.kubernetes().get(ackRef("TrainingJob", "xgboost-train"))).isEmpty();
    assertThat(report.changes())
        .anyMatch(
            c ->
                c.resource().equals("kubernetes:TrainingJob " + NS + "/xgboost-train")
                    && c.action() == ChangeAction.DELETE
                    && c.detail()
                        .contains("no longer in SageMaker: training job xgboost-train-1a2b"));
  }

  @Test
  void theLegacyTargetAndTheLegacyRoleAreRefusedAsInputs(FakeWorld world) {
    List<Legacy> legacy = legacyCluster(world);
    world.log().clear();
    assertThatThrownBy(() -> ack(world).withTarget(OperatorTarget.legacy()).migrate())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("target");
    assertThatThrownBy(
            () ->
                world
                    .setup(CLUSTER, REGION, LEGACY_ROLE)
                    .withChartRenderer(RENDERER)
                    .planMigration())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(LEGACY_ROLE);
    assertThat(world.log().writes()).isEmpty();
  }
}
