package dev.operatorsetup.kubernetes;

import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.ISSUER;
import static dev.operatorsetup.testkit.Example.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.helm.HelmCharts;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.OperatorTarget;
import dev.operatorsetup.testkit.AckCharts;
import dev.operatorsetup.testkit.InMemoryAws;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ACK SageMaker controller target on the real local control plane, its chart rendered by the
 * real helm module (helm-java): an upgrade from chart 1.6.0 to 1.9.1, a re-run that writes nothing,
 * a namespace-scoped install, TrainingJobs validated by the chart's CRD schema, uninstall refusing
 * while one exists and the retain path, and uninstall leaving no trace. The Helm takeover is in
 * {@link AckHelmTakeoverOnControlPlaneIT}.
 *
 * <p>The plane is shared by every IT of the module, so each test uninstalls what it installed (also
 * when it fails).
 */
@RequiresControlPlane
class AckOnControlPlaneIT {
  static final String NS = "ack-system";
  static final String NAME = "ack-sagemaker-controller";
  static final String ROLE = "ack-sagemaker";
  static final String CRD_API = "apiextensions.k8s.io/v1";
  static final String CRD = "CustomResourceDefinition";
  static final String TRAINING_JOBS = "trainingjobs.sagemaker.services.k8s.aws";
  static final String PROJECTS = "projects.sagemaker.services.k8s.aws";
  static final ObjectRef DEPLOYMENT =
      ObjectRef.of("apps/v1", "Deployment", NS, NAME + "-sagemaker-chart");
  static final ObjectRef SA = ObjectRef.of("v1", "ServiceAccount", NS, NAME);
  static final Duration TIMEOUT = Duration.ofMinutes(3);

  /** The kinds the chart renders, and the install's namespace, to look for our labels. */
  static final String[][] KINDS = {
    {"v1", "Namespace"},
    {"v1", "ServiceAccount"},
    {"v1", "Service"},
    {"v1", "ConfigMap"},
    {"v1", "Secret"},
    {"apps/v1", "Deployment"},
    {"rbac.authorization.k8s.io/v1", "Role"},
    {"rbac.authorization.k8s.io/v1", "RoleBinding"},
    {"rbac.authorization.k8s.io/v1", "ClusterRole"},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
    {CRD_API, CRD},
  };

  static Kubernetes k8s;

  InMemoryAws aws;
  private final List<Supplier<OperatorSetup.Options>> toUninstall = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();

  @BeforeAll
  static void connect(ControlPlane plane) {
    k8s = KubernetesPorts.fromKubeconfig(plane.kubeconfig());
  }

  @AfterAll
  static void disconnect() {
    if (k8s != null) {
      k8s.close();
    }
  }

  @BeforeEach
  void world() {
    aws = new InMemoryAws();
    aws.addCluster(REGION, CLUSTER, ISSUER);
  }

  @AfterEach
  void cleanUp() {
    for (int i = toUninstall.size() - 1; i >= 0; i--) {
      toUninstall.get(i).get().removeFinalizers().retainAwsResources().uninstall();
    }
    for (String ns : namespaces) {
      ObjectRef ref = ObjectRef.of("v1", "Namespace", null, ns);
      k8s.delete(ref);
      k8s.awaitDeleted(ref, Duration.ofMinutes(1));
    }
  }

  /** The ACK target with a chart spec, rendered by the helm module's renderer. */
  OperatorSetup.Options ack(String chart) {
    return OperatorSetup.forCluster(CLUSTER)
        .inRegion(REGION)
        .withRole(ROLE)
        .withAws(aws.services(REGION))
        .withKubernetes(k8s)
        .withTimeout(TIMEOUT)
        .withTarget(OperatorTarget.ack())
        .withChartRenderer(HelmCharts.renderer())
        .withChart(chart);
  }

  OperatorSetup.Options ack() {
    return ack("bundled");
  }

  private InstallReport install(Supplier<OperatorSetup.Options> setup) {
    toUninstall.add(setup);
    return setup.get().install();
  }

  private void namespace(String ns) {
    namespaces.add(ns);
    k8s.apply(
        KubeObject.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + ns
                + "\"}}"),
        "it-user",
        false);
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  void upgradeFrom160To191_upgradesTheCrds_establishesProjects_rollsOutTheNewImage() {
    install(() -> ack("1.6.0"));
    assertThat(image()).endsWith(":1.6.0");
    assertThat(crd(PROJECTS)).as("1.6.0 has no projects CRD").isNull();
    assertControllerAvailable(NS);

    InstallReport upgrade = install(this::ack);

    assertThat(upgrade.changes(ChangeAction.CREATE))
        .extracting(Change::resource)
        .contains("kubernetes:" + CRD + " " + PROJECTS);
    assertThat(upgrade.changes(ChangeAction.UPDATE))
        .extracting(Change::resource)
        .contains("kubernetes:" + CRD + " " + TRAINING_JOBS, "kubernetes:" + DEPLOYMENT.display());
    assertThat(condition(crd(PROJECTS), "Established")).isEqualTo("True");
    for (KubeObject rendered : ack().renderObjects()) {
      if (rendered.kind().equals(CRD)) {
        KubeObject live = crd(rendered.name());
        assertThat(live).as(rendered.name()).isNotNull();
        assertThat(condition(live, "Established")).as(rendered.name()).isEqualTo("True");
        assertThat(live.at("/spec/versions/0/schema/openAPIV3Schema"))
            .as(rendered.name() + " has the 1.9.1 schema")
            .isEqualTo(rendered.at("/spec/versions/0/schema/openAPIV3Schema"));
      }
    }
    assertThat(image()).endsWith(":1.9.1");
    assertThat(k8s.list("apps/v1", "Deployment", NS, Map.of(Tags.RELEASE_KEY, NAME)))
        .extracting(KubeObject::name)
        .containsExactly(DEPLOYMENT.name());
    assertControllerAvailable(NS);
    InstallReport verify = ack().verify();
    assertThat(verify.healthy()).as(verify.checks().toString()).isTrue();
    assertThat(verify.checks())
        .extracting(Check::name)
        .contains("controller-region", "helm-release");
  }

  @Test
  void aReRun_changesNothing_andNoObjectMoves() {
    install(this::ack);
    List<KubeObject> rendered = ack().renderObjects();
    Map<String, String> before = versions(rendered);
    aws.log().clear();

    InstallReport again = ack().install();

    assertThat(again.changed()).as(again.changes().toString()).isFalse();
    assertThat(again.changes()).allMatch(c -> c.action() == ChangeAction.UNCHANGED);
    assertThat(aws.log().writes()).isEmpty();
    assertThat(versions(rendered)).isEqualTo(before);
  }

  @Test
  void aNamespaceScopedInstall_watchesItsNamespace_andLeavesNoTrace() {
    namespace("team-a");
    Supplier<OperatorSetup.Options> scoped =
        () -> ack().installScope("namespace").watchNamespace("team-a");

    InstallReport report = install(scoped);

    assertThat(report.changes()).allMatch(c -> c.action() == ChangeAction.CREATE);
    assertControllerAvailable(NS);
    KubeObject dep = k8s.get(DEPLOYMENT).orElseThrow();
    assertThat(dep.at("/spec/template/spec/containers/0").toString())
        .contains("--watch-namespace", "team-a");
    assertThat(k8s.list("rbac.authorization.k8s.io/v1", "RoleBinding", "team-a", Map.of()))
        .extracting(KubeObject::name)
        .contains(NAME + "-sagemaker-chart-team-a");
    assertThat(labelled("ClusterRoleBinding"))
        .as("the cluster-wide binding is replaced by the namespace's")
        .doesNotContain("ClusterRoleBinding " + NAME + "-sagemaker-chart-rolebinding");
    assertThat(k8s.get(SA).orElseThrow().annotations())
        .containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn());
    InstallReport verify = scoped.get().verify();
    assertThat(verify.healthy()).as(verify.checks().toString()).isTrue();
    assertThat(scoped.get().install().changed()).isFalse();
    List<KubeObject> rendered = scoped.get().renderObjects();

    scoped.get().uninstall();

    assertNoTrace(rendered);
  }

  @Test
  void theSampleTrainingJob_isAccepted_andMalformedOnesAreRejectedByTheSchema() {
    install(this::ack);
    namespace("ml-team");

    KubeObject stored = applyEventually(sampleJob("ml-team", "xgboost-mnist", null));

    assertThat(stored.at("/spec/resourceConfig/instanceCount").asInt()).isEqualTo(1);
    assertThat(k8s.listCustomResources(TRAINING_JOBS))
        .extracting(KubeObject::name)
        .containsExactly("xgboost-mnist");
    assertThatThrownBy(
            () ->
                k8s.apply(
                    sampleJob(
                        "ml-team", "job-many", s -> resourceConfig(s).put("instanceCount", "many")),
                    "it-user",
                    false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("TrainingJob ml-team/job-many")
        .hasMessageContaining("spec.resourceConfig.instanceCount");
    assertThatThrownBy(
            () ->
                k8s.apply(
                    sampleJob("ml-team", "job-norole", s -> s.remove("roleARN")), "it-user", false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("TrainingJob ml-team/job-norole")
        .hasMessageContaining("spec.roleARN");
    assertThat(k8s.listCustomResources(TRAINING_JOBS))
        .extracting(KubeObject::name)
        .containsExactly("xgboost-mnist");
  }

  @Test
  void uninstall_refusesWhileATrainingJobExists_andDeletesNothing() {
    install(this::ack);
    namespace("ml-team");
    KubeObject job = applyEventually(sampleJob("ml-team", "xgboost-mnist", null));
    aws.log().clear();

    assertThatThrownBy(() -> ack().uninstall())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("TrainingJob ml-team/xgboost-mnist")
        .hasMessageContaining("--retain-aws-resources");

    assertThat(k8s.get(job.ref())).isPresent();
    assertThat(k8s.get(DEPLOYMENT)).isPresent();
    assertThat(crd(TRAINING_JOBS)).isNotNull();
    assertThat(aws.log().writes()).isEmpty();
    assertThat(aws.roleNames()).contains(ROLE);
  }

  @Test
  void retain_annotatesTheTrainingJob_thenDeletesIt_thenUninstalls_leavingNoTrace() {
    install(this::ack);
    namespace("ml-team");
    List<KubeObject> rendered = ack().renderObjects();
    // A finalizer of the test's holds the job after its delete, so the annotation can be seen.
    KubeObject job =
        applyEventually(
            sampleJob("ml-team", "xgboost-mnist", null)
                .edit(
                    n ->
                        ((ObjectNode) n.get("metadata"))
                            .putArray("finalizers")
                            .add("it.operator-setup.dev/hold")));

    assertThatThrownBy(
            () -> ack().retainAwsResources().withTimeout(Duration.ofSeconds(8)).uninstall())
        .hasMessageContaining("ml-team/xgboost-mnist");

    KubeObject held = k8s.get(job.ref()).orElseThrow();
    assertThat(held.annotations()).containsEntry("services.k8s.aws/deletion-policy", "retain");
    assertThat(held.at("/metadata/deletionTimestamp").isTextual()).as("deleted").isTrue();
    assertThat(k8s.get(DEPLOYMENT)).as("nothing else deleted yet").isPresent();

    InstallReport report = ack().retainAwsResources().removeFinalizers().uninstall();

    assertThat(report.changes())
        .filteredOn(c -> c.resource().equals("kubernetes:TrainingJob ml-team/xgboost-mnist"))
        .extracting(Change::action)
        .containsExactly(ChangeAction.UPDATE, ChangeAction.DELETE);
    assertThat(k8s.get(job.ref())).isEmpty();
    assertNoTrace(rendered);
    assertThat(aws.roleNames()).doesNotContain(ROLE);
    assertThat(ack().uninstall().changed()).isFalse();
  }

  // ------------------------------------------------------------------------------------ helpers

  String roleArn() {
    return "arn:aws:iam::" + aws.account() + ":role/" + ROLE;
  }

  /** samples/training/my-training-job.yaml with its placeholders filled in. */
  static KubeObject sampleJob(
      String ns, String name, java.util.function.Consumer<ObjectNode> edit) {
    Path file = AckCharts.reference().resolve("samples/training/my-training-job.yaml");
    try {
      String yaml =
          Files.readString(file)
              .replace("<YOUR JOB NAME>", name)
              .replace("<YOUR SAGEMAKER ROLE ARN>", "arn:aws:iam::123456789012:role/sm-exec")
              .replace("<YOUR BUCKET/OUTPUT>", "ml-team-bucket/output")
              .replace("<YOUR BUCKET>", "ml-team-bucket");
      ObjectNode node = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(yaml);
      ((ObjectNode) node.get("metadata")).put("namespace", ns);
      if (edit != null) {
        edit.accept((ObjectNode) node.get("spec"));
      }
      return KubeObject.of(node);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static ObjectNode resourceConfig(ObjectNode spec) {
    return (ObjectNode) spec.get("resourceConfig");
  }

  /** Applies a custom resource, retrying while its new kind is not yet in discovery. */
  static KubeObject applyEventually(KubeObject object) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return k8s.apply(object, "it-user", false);
      } catch (dev.operatorsetup.ResourceNotFoundException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  static KubeObject crd(String name) {
    return k8s.get(ObjectRef.of(CRD_API, CRD, null, name)).orElse(null);
  }

  static String image() {
    return k8s.get(DEPLOYMENT).orElseThrow().at("/spec/template/spec/containers/0/image").asText();
  }

  static String condition(KubeObject object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText();
      }
    }
    return "(no " + type + " condition)";
  }

  static void assertControllerAvailable(String ns) {
    KubeObject dep =
        k8s.get(ObjectRef.of("apps/v1", "Deployment", ns, DEPLOYMENT.name())).orElseThrow();
    long replicas = dep.at("/spec/replicas").asLong(1);
    assertThat(replicas).isEqualTo(1);
    assertThat(dep.at("/status/availableReplicas").asLong(0)).isEqualTo(replicas);
    assertThat(dep.at("/status/observedGeneration").asLong())
        .isEqualTo(dep.at("/metadata/generation").asLong());
    assertThat(condition(dep, "Available")).isEqualTo("True");
  }

  /** resourceVersion and generation of each rendered object, but the Deployment's status moves. */
  static Map<String, String> versions(List<KubeObject> rendered) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KubeObject object : rendered) {
      KubeObject live = k8s.get(object.ref()).orElseThrow(() -> new AssertionError(object));
      String generation = live.at("/metadata/generation").asText();
      out.put(
          object.ref().display(),
          object.kind().equals("Deployment")
              ? generation
              : generation + "/" + live.at("/metadata/resourceVersion").asText());
    }
    return out;
  }

  /** Objects of one kind, anywhere, labelled managed-by=operator-setup. */
  static List<String> labelled(String kind) {
    List<String> out = new ArrayList<>();
    for (String[] k : KINDS) {
      if (kind == null || k[1].equals(kind)) {
        k8s.list(k[0], k[1], null, Map.of(Tags.MANAGED_BY_KEY, Tags.MANAGED_BY_VALUE)).stream()
            .map(o -> o.ref().display())
            .forEach(out::add);
      }
    }
    return out;
  }

  /** No object with our labels, no CRD of the chart's groups, the namespace gone. */
  static void assertNoTrace(List<KubeObject> rendered) {
    assertThat(labelled(null)).as("objects labelled managed-by=operator-setup").isEmpty();
    for (KubeObject object : rendered) {
      assertThat(k8s.get(object.ref())).as(object.ref().display()).isEmpty();
    }
    assertThat(k8s.list(CRD_API, CRD, null, Map.of()))
        .extracting(KubeObject::name)
        .noneMatch(n -> n.endsWith(".services.k8s.aws"));
    assertThat(k8s.get(ObjectRef.of("v1", "Namespace", null, NS))).isEmpty();
  }
}
