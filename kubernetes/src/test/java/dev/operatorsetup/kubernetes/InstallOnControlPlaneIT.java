package dev.operatorsetup.kubernetes;

import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.ISSUER;
import static dev.operatorsetup.testkit.Example.REGION;
import static dev.operatorsetup.testkit.Example.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.InMemoryAws;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.io.Reader;
import java.nio.file.Files;
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
 * The whole installation on the real local control plane (kube-apiserver, controllers, kwok nodes)
 * with the in-memory AWS fake: the bundled legacy installer is applied, its v1beta1 CRDs arrive as
 * v1 and become Established, the controller rolls out, a re-run changes nothing, custom resources
 * are validated by the converted schemas, and uninstall leaves no trace.
 *
 * <p>The plane is shared by every IT of the module, so each test uninstalls what it installed (also
 * when it fails), and the tests can run in any order.
 */
@RequiresControlPlane
class InstallOnControlPlaneIT {
  static final String NS = "sagemaker-k8s-operator-system";
  static final String CRD_API = "apiextensions.k8s.io/v1";
  static final String TRAINING_JOBS = "trainingjobs.sagemaker.aws.amazon.com";
  static final ObjectRef SA =
      ObjectRef.of("v1", "ServiceAccount", NS, "sagemaker-k8s-operator-default");
  static final ObjectRef DEPLOYMENT =
      ObjectRef.of("apps/v1", "Deployment", NS, "sagemaker-k8s-operator-controller-manager");
  static final Duration TIMEOUT = Duration.ofMinutes(3);

  /** The kinds of the bundled installers and their resources, to list them by label. */
  static final Map<String, String[]> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("Namespace", new String[] {"", "v1", "namespaces"});
    KINDS.put(
        "CustomResourceDefinition",
        new String[] {"apiextensions.k8s.io", "v1", "customresourcedefinitions"});
    KINDS.put("ServiceAccount", new String[] {"", "v1", "serviceaccounts"});
    KINDS.put("Service", new String[] {"", "v1", "services"});
    KINDS.put("Deployment", new String[] {"apps", "v1", "deployments"});
    KINDS.put("Role", new String[] {"rbac.authorization.k8s.io", "v1", "roles"});
    KINDS.put("RoleBinding", new String[] {"rbac.authorization.k8s.io", "v1", "rolebindings"});
    KINDS.put("ClusterRole", new String[] {"rbac.authorization.k8s.io", "v1", "clusterroles"});
    KINDS.put(
        "ClusterRoleBinding",
        new String[] {"rbac.authorization.k8s.io", "v1", "clusterrolebindings"});
  }

  private static Kubernetes k8s;
  private static ApiClient client;

  private InMemoryAws aws;
  private final List<Supplier<OperatorSetup.Options>> toUninstall = new ArrayList<>();

  @BeforeAll
  static void connect(ControlPlane plane) throws Exception {
    k8s = KubernetesPorts.fromKubeconfig(plane.kubeconfig());
    try (Reader reader = Files.newBufferedReader(plane.kubeconfig())) {
      client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
  }

  @AfterAll
  static void disconnect() {
    if (k8s != null) {
      k8s.close();
    }
    if (client != null) {
      client.getHttpClient().dispatcher().executorService().shutdown();
      client.getHttpClient().connectionPool().evictAll();
    }
  }

  @BeforeEach
  void world() {
    aws = new InMemoryAws();
    aws.addCluster(REGION, CLUSTER, ISSUER);
  }

  @AfterEach
  void cleanUp() {
    // In reverse, so a namespaced install made after a cluster-wide one goes first.
    for (int i = toUninstall.size() - 1; i >= 0; i--) {
      toUninstall.get(i).get().removeFinalizers().uninstall();
    }
  }

  private OperatorSetup.Options setup() {
    return OperatorSetup.forCluster(CLUSTER)
        .inRegion(REGION)
        .withRole(ROLE)
        .withAws(aws.services(REGION))
        .withKubernetes(k8s)
        .withTimeout(TIMEOUT);
  }

  private OperatorSetup.Options namespacedSetup(String namespace) {
    return setup()
        .withManifest(Manifests.bundled(Manifests.Variant.NAMESPACED))
        .withNamespace(namespace);
  }

  /** Installs, and makes sure the test uninstalls whatever happens. */
  private InstallReport install(Supplier<OperatorSetup.Options> setup) {
    toUninstall.add(setup);
    return setup.get().install();
  }

  private String roleArn() {
    return "arn:aws:iam::" + aws.account() + ":role/" + ROLE;
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  void install_appliesTheBundledInstaller_crdsEstablished_controllerAvailable_saAnnotated() {
    List<KubeObject> rendered = setup().renderObjects();
    assertThat(rendered).hasSize(18);
    assertThat(labelled()).as("nothing of ours on the plane before").isEmpty();

    InstallReport report = install(this::setup);

    // provider + role + policy + the 18 objects of the manifest, all new
    assertThat(report.changes()).hasSize(21).allMatch(c -> c.action() == ChangeAction.CREATE);
    for (KubeObject object : rendered) {
      KubeObject live = k8s.get(object.ref()).orElseThrow(() -> new AssertionError(object));
      assertThat(live.labels())
          .as(object.ref().display())
          .containsEntry(Tags.MANAGED_BY_KEY, Tags.MANAGED_BY_VALUE);
    }
    assertThat(labelled()).hasSize(18);
    assertEightCrdsEstablished();
    assertControllerAvailableAndRunning(NS);
    assertThat(k8s.get(SA).orElseThrow().annotations())
        .containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn());
    assertThat(k8s.get(DEPLOYMENT).orElseThrow().at("/spec/template/spec/containers"))
        .extracting(c -> c.path("image").asText())
        .doesNotContain("gcr.io/kubebuilder/kube-rbac-proxy:v0.4.0");

    InstallReport verify = setup().verify();
    assertThat(verify.healthy()).as(verify.checks().toString()).isTrue();
  }

  @Test
  void planOnThePlane_listsEveryObjectAndCreatesNothing() {
    InstallReport plan = setup().plan();

    assertThat(plan.changes()).hasSize(21).allMatch(c -> c.action() == ChangeAction.CREATE);
    assertThat(aws.log().writes()).isEmpty();
    assertThat(labelled()).isEmpty();
    for (KubeObject object : setup().renderObjects()) {
      assertThat(k8s.get(object.ref())).as(object.ref().display()).isEmpty();
    }
  }

  @Test
  void aReRun_changesNothing_andNoObjectsGenerationMoves() {
    install(this::setup);
    List<KubeObject> rendered = setup().renderObjects();
    Map<String, String> generations = new LinkedHashMap<>();
    Map<String, String> resourceVersions = new LinkedHashMap<>();
    snapshot(rendered, generations, resourceVersions);
    aws.log().clear();

    InstallReport again = setup().install();

    assertThat(again.changed()).as(again.changes().toString()).isFalse();
    assertThat(again.changes()).hasSize(21).allMatch(c -> c.action() == ChangeAction.UNCHANGED);
    assertThat(aws.log().writes()).isEmpty();
    Map<String, String> generationsAfter = new LinkedHashMap<>();
    Map<String, String> resourceVersionsAfter = new LinkedHashMap<>();
    snapshot(rendered, generationsAfter, resourceVersionsAfter);
    assertThat(generationsAfter).isEqualTo(generations);
    // The Deployment's status is written by the deployment controller as kwok moves its pods
    // along (observed generation, replica counts, condition timestamps), which moves its
    // resourceVersion without any change of ours; metadata.generation, compared above, moves only
    // when its spec changes. Every other object of the manifest is written by nobody but us
    // (the CRDs' status settles when they become Established, which install waited for).
    resourceVersions.remove(DEPLOYMENT.display());
    resourceVersionsAfter.remove(DEPLOYMENT.display());
    assertThat(resourceVersionsAfter).isEqualTo(resourceVersions);
  }

  @Test
  void anEditedRoleAnnotation_isTakenBackFromTheOtherFieldManager() {
    install(this::setup);
    KubeObject sa = k8s.get(SA).orElseThrow();
    k8s.apply(
        KubeObject.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\""
                + SA.name()
                + "\",\"namespace\":\""
                + NS
                + "\",\"annotations\":{\""
                + ManifestPatch.ROLE_ARN_ANNOTATION
                + "\":\"arn:aws:iam::111111111111:role/other\"}}}"),
        "kubectl-edit",
        true);
    assertThat(setup().verify().healthy()).isFalse();

    InstallReport report = setup().install();

    // The annotation is repaired; pods that started over a second before the repair are also
    // restarted (they may have been created while it named another role), which on a loaded
    // machine they always are: whether that second passed is timing, not behaviour.
    assertThat(report.changes(ChangeAction.UPDATE))
        .filteredOn(c -> !c.resource().equals("kubernetes:" + DEPLOYMENT.display()))
        .singleElement()
        .satisfies(c -> assertThat(c.resource()).isEqualTo("kubernetes:" + SA.display()))
        .satisfies(c -> assertThat(c.detail()).contains("role annotation"));
    assertThat(report.changes(ChangeAction.UPDATE))
        .filteredOn(c -> c.resource().equals("kubernetes:" + DEPLOYMENT.display()))
        .allSatisfy(c -> assertThat(c.detail()).contains("restart them"));
    KubeObject repaired = k8s.get(SA).orElseThrow();
    assertThat(repaired.annotations()).containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn());
    assertThat(repaired.labels()).isEqualTo(sa.labels());
    assertThat(setup().verify().healthy()).isTrue();
    assertThat(setup().install().changed()).isFalse();
  }

  @Test
  void customResources_validIsAccepted_malformedIsRejectedNamingTheField() {
    install(this::setup);

    KubeObject stored = applyEventually(trainingJob("job-ok", VALID_SPEC));
    assertThat(stored.at("/spec/resourceConfig/instanceCount").asInt()).isEqualTo(1);
    assertThat(k8s.listCustomResources(TRAINING_JOBS))
        .extracting(KubeObject::name)
        .containsExactly("job-ok");

    assertThatThrownBy(
            () ->
                k8s.apply(
                    trainingJob(
                        "job-many",
                        VALID_SPEC.replace("\"instanceCount\":1", "\"instanceCount\":\"many\"")),
                    "it-user",
                    false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("TrainingJob " + NS + "/job-many")
        .hasMessageContaining("spec.resourceConfig.instanceCount");
    assertThatThrownBy(
            () ->
                k8s.apply(
                    trainingJob(
                        "job-norole",
                        VALID_SPEC.replace(
                            "\"roleArn\":\"arn:aws:iam::123456789012:role/sm-exec\",", "")),
                    "it-user",
                    false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("TrainingJob " + NS + "/job-norole")
        .hasMessageContaining("spec.roleArn");
    assertThat(k8s.listCustomResources(TRAINING_JOBS))
        .extracting(KubeObject::name)
        .containsExactly("job-ok");
  }

  @Test
  void uninstall_deletesTheCustomResourceFirst_leavesNoTrace_andASecondIsANoOp() {
    install(this::setup);
    applyEventually(trainingJob("job-1", VALID_SPEC));
    List<KubeObject> rendered = setup().renderObjects();

    InstallReport report = setup().uninstall();

    assertThat(report.changes().get(0))
        .extracting(Change::resource, Change::action)
        .containsExactly("kubernetes:TrainingJob " + NS + "/job-1", ChangeAction.DELETE);
    // the 18 objects, the role (and its policy) and the provider
    assertThat(report.changes(ChangeAction.DELETE)).hasSize(1 + 18 + 2 + 1);
    assertNoTrace(rendered, NS);
    assertThat(aws.roleNames()).isEmpty();
    assertThat(aws.providerArns()).isEmpty();

    aws.log().clear();
    InstallReport again = setup().uninstall();
    assertThat(again.changed()).as(again.changes().toString()).isFalse();
    assertThat(aws.log().writes()).isEmpty();
    assertThat(labelled()).isEmpty();
  }

  @Test
  void aNamespacedInstall_runsInItsNamespace_andItsUninstallLeavesNoTrace() {
    String ns = "team-a";
    List<KubeObject> rendered = namespacedSetup(ns).renderObjects();
    assertThat(rendered)
        .filteredOn(o -> o.namespace().isPresent())
        .allMatch(o -> o.namespace().get().equals(ns));
    assertThat(rendered).noneMatch(o -> o.kind().startsWith("Cluster"));

    InstallReport report = install(() -> namespacedSetup(ns));

    assertThat(report.changes()).allMatch(c -> c.action() == ChangeAction.CREATE);
    for (KubeObject object : rendered) {
      assertThat(k8s.get(object.ref()).orElseThrow(() -> new AssertionError(object)).labels())
          .as(object.ref().display())
          .containsEntry(Tags.MANAGED_BY_KEY, Tags.MANAGED_BY_VALUE);
    }
    assertEightCrdsEstablished();
    assertControllerAvailableAndRunning(ns);
    assertThat(
            k8s.get(ObjectRef.of("v1", "ServiceAccount", ns, SA.name()))
                .orElseThrow()
                .annotations())
        .containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn());
    assertThat(aws.services(REGION).roles().find(ROLE).orElseThrow().trustPolicy().toCompactJson())
        .contains("system:serviceaccount:" + ns + ":" + SA.name());
    assertThat(namespacedSetup(ns).verify().healthy()).isTrue();
    assertThat(namespacedSetup(ns).install().changed()).isFalse();

    namespacedSetup(ns).uninstall();

    assertNoTrace(rendered, ns);
    assertThat(namespacedSetup(ns).uninstall().changed()).isFalse();
  }

  @Test
  void aNewRole_updatesTheAnnotation_andRollsTheControllersPods() {
    install(this::setup);
    List<String> podsBefore = controllerPods(NS);
    String otherRole = "eks-fsx-cluster-role-2";
    Supplier<OperatorSetup.Options> other =
        () ->
            OperatorSetup.forCluster(CLUSTER)
                .inRegion(REGION)
                .withRole(otherRole)
                .withAws(aws.services(REGION))
                .withKubernetes(k8s)
                .withTimeout(TIMEOUT);
    long generation = k8s.get(DEPLOYMENT).orElseThrow().at("/metadata/generation").asLong();

    InstallReport report = install(other);

    assertThat(report.changes(ChangeAction.UPDATE))
        .extracting(Change::resource)
        .containsExactlyInAnyOrder(
            "kubernetes:" + SA.display(), "kubernetes:" + DEPLOYMENT.display());
    String arn = "arn:aws:iam::" + aws.account() + ":role/" + otherRole;
    assertThat(k8s.get(SA).orElseThrow().annotations())
        .containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, arn);
    assertThat(k8s.get(DEPLOYMENT).orElseThrow().at("/metadata/generation").asLong())
        .isEqualTo(generation + 1);
    // install waited for the rollout: the pods now running are new ones
    assertControllerAvailableAndRunning(NS);
    assertThat(controllerPods(NS)).isNotEmpty().doesNotContainAnyElementsOf(podsBefore);
    InstallReport verify = other.get().verify();
    assertThat(verify.healthy()).as(verify.checks().toString()).isTrue();
  }

  @Test
  void aStuckFinalizer_isNamed_andDroppedOnlyWhenAsked() {
    install(this::setup);
    List<KubeObject> rendered = setup().renderObjects();
    KubeObject job = trainingJob("job-stuck", VALID_SPEC);
    applyEventually(
        job.edit(
            n ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("metadata"))
                    .putArray("finalizers")
                    .add("sagemaker-operator-finalizer")));

    assertThatThrownBy(() -> setup().withTimeout(Duration.ofSeconds(8)).uninstall())
        .hasMessageContaining("TrainingJob " + NS + "/job-stuck")
        .hasMessageContaining("removeFinalizers");
    KubeObject stuck = k8s.get(job.ref()).orElseThrow();
    assertThat(stuck.at("/metadata/deletionTimestamp").isTextual()).isTrue();
    assertThat(k8s.get(DEPLOYMENT)).as("nothing else deleted yet").isPresent();

    setup().removeFinalizers().uninstall();

    assertThat(k8s.get(job.ref())).isEmpty();
    assertNoTrace(rendered, NS);
  }

  @Test
  void aNamespaceThatExistedBefore_isUsed_andKeptByUninstall() {
    String ns = "team-b";
    KubeObject namespace =
        KubeObject.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + ns
                + "\",\"labels\":{\"team\":\"b\"}}}");
    k8s.apply(namespace, "platform-team", false);
    ObjectRef nsRef = ObjectRef.of("v1", "Namespace", null, ns);
    try {
      List<KubeObject> rendered = namespacedSetup(ns).renderObjects();

      InstallReport report = install(() -> namespacedSetup(ns));

      assertThat(report.changes())
          .filteredOn(c -> c.resource().equals("kubernetes:Namespace " + ns))
          .singleElement()
          .satisfies(c -> assertThat(c.action()).isNotEqualTo(ChangeAction.CREATE));
      assertThat(k8s.get(nsRef).orElseThrow().labels())
          .containsEntry("team", "b")
          .doesNotContainKey(Tags.MANAGED_BY_KEY);
      assertControllerAvailableAndRunning(ns);
      assertThat(namespacedSetup(ns).install().changed()).isFalse();

      InstallReport uninstall = namespacedSetup(ns).uninstall();

      assertThat(uninstall.changes())
          .filteredOn(c -> c.resource().equals("kubernetes:Namespace " + ns))
          .singleElement()
          .satisfies(c -> assertThat(c.detail()).contains("not created by operator-setup"));
      assertThat(k8s.get(nsRef)).isPresent();
      assertThat(labelled()).isEmpty();
      for (KubeObject object : rendered) {
        if (!object.ref().equals(nsRef)) {
          assertThat(k8s.get(object.ref())).as(object.ref().display()).isEmpty();
        }
      }
    } finally {
      k8s.delete(nsRef);
      k8s.awaitDeleted(nsRef, Duration.ofMinutes(1));
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  static final String VALID_SPEC =
      "{\"region\":\"us-east-1\",\"roleArn\":\"arn:aws:iam::123456789012:role/sm-exec\","
          + "\"algorithmSpecification\":{\"trainingImage\":"
          + "\"811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:1\","
          + "\"trainingInputMode\":\"File\"},"
          + "\"outputDataConfig\":{\"s3OutputPath\":\"s3://b/out\"},"
          + "\"resourceConfig\":{\"instanceCount\":1,\"instanceType\":\"ml.m4.xlarge\","
          + "\"volumeSizeInGB\":5},"
          + "\"stoppingCondition\":{\"maxRuntimeInSeconds\":3600}}";

  private static KubeObject trainingJob(String name, String spec) {
    return KubeObject.parse(
        "{\"apiVersion\":\"sagemaker.aws.amazon.com/v1\",\"kind\":\"TrainingJob\","
            + "\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\""
            + NS
            + "\"},\"spec\":"
            + spec
            + "}");
  }

  /** Applies a custom resource, retrying while its new kind is not yet in discovery. */
  private static KubeObject applyEventually(KubeObject object) {
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

  private static void assertEightCrdsEstablished() {
    List<KubeObject> crds =
        list("CustomResourceDefinition").stream()
            .filter(o -> o.name().endsWith(".sagemaker.aws.amazon.com"))
            .toList();
    assertThat(crds).hasSize(8);
    for (KubeObject crd : crds) {
      KubeObject live =
          k8s.get(ObjectRef.of(CRD_API, "CustomResourceDefinition", null, crd.name()))
              .orElseThrow();
      assertThat(live.apiVersion()).isEqualTo(CRD_API);
      assertThat(live.labels()).containsEntry(Tags.MANAGED_BY_KEY, Tags.MANAGED_BY_VALUE);
      assertThat(conditionStatus(live, "Established")).as(crd.name()).isEqualTo("True");
      assertThat(live.at("/spec/versions/0/schema/openAPIV3Schema/type").asText())
          .as(crd.name() + " has a structural schema")
          .isEqualTo("object");
    }
  }

  private static void assertControllerAvailableAndRunning(String ns) {
    ObjectRef ref = ObjectRef.of("apps/v1", "Deployment", ns, DEPLOYMENT.name());
    KubeObject deployment = k8s.get(ref).orElseThrow();
    long replicas = deployment.at("/spec/replicas").asLong(1);
    assertThat(deployment.at("/status/availableReplicas").asLong(0)).isEqualTo(replicas);
    assertThat(deployment.at("/status/observedGeneration").asLong())
        .isEqualTo(deployment.at("/metadata/generation").asLong());
    assertThat(conditionStatus(deployment, "Available")).isEqualTo("True");
    Map<String, String> selector = new LinkedHashMap<>();
    deployment
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
    List<KubeObject> pods = k8s.listPods(ns, selector);
    assertThat(pods).hasSize((int) replicas);
    assertThat(pods)
        .allSatisfy(
            p -> {
              assertThat(p.at("/status/phase").asText()).as(p.name()).isEqualTo("Running");
              assertThat(p.at("/spec/serviceAccountName").asText()).isEqualTo(SA.name());
            });
  }

  private static List<String> controllerPods(String ns) {
    KubeObject deployment =
        k8s.get(ObjectRef.of("apps/v1", "Deployment", ns, DEPLOYMENT.name())).orElseThrow();
    Map<String, String> selector = new LinkedHashMap<>();
    deployment
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
    return k8s.listPods(ns, selector).stream().map(KubeObject::name).toList();
  }

  private static String conditionStatus(KubeObject object, String type) {
    for (var c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText();
      }
    }
    return "(no " + type + " condition)";
  }

  private void assertNoTrace(List<KubeObject> rendered, String ns) {
    assertThat(labelled()).as("objects labelled managed-by=operator-setup").isEmpty();
    for (KubeObject object : rendered) {
      assertThat(k8s.get(object.ref())).as(object.ref().display()).isEmpty();
    }
    assertThat(k8s.get(ObjectRef.of("v1", "Namespace", null, ns))).isEmpty();
    assertThat(list("CustomResourceDefinition"))
        .noneMatch(o -> o.name().endsWith(".sagemaker.aws.amazon.com"));
    assertThat(list("ClusterRole")).noneMatch(o -> o.name().startsWith("sagemaker-k8s-operator"));
    assertThat(list("ClusterRoleBinding"))
        .noneMatch(o -> o.name().startsWith("sagemaker-k8s-operator"));
  }

  private static void snapshot(
      List<KubeObject> rendered, Map<String, String> generations, Map<String, String> versions) {
    for (KubeObject object : rendered) {
      KubeObject live = k8s.get(object.ref()).orElseThrow();
      generations.put(object.ref().display(), live.at("/metadata/generation").asText());
      versions.put(object.ref().display(), live.at("/metadata/resourceVersion").asText());
    }
  }

  /** Every object of the installers' kinds that carries our label, in every namespace. */
  private static List<String> labelled() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String[]> kind : KINDS.entrySet()) {
      String[] r = kind.getValue();
      KubernetesApiResponse<DynamicKubernetesListObject> response =
          new DynamicKubernetesApi(r[0], r[1], r[2], client)
              .list(
                  new ListOptions()
                      .labelSelector(Tags.MANAGED_BY_KEY + "=" + Tags.MANAGED_BY_VALUE));
      assertThat(response.isSuccess()).as("list " + r[2] + ": " + response.getStatus()).isTrue();
      for (DynamicKubernetesObject o : response.getObject().getItems()) {
        String ns = o.getMetadata().getNamespace();
        out.add(kind.getKey() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName());
      }
    }
    return out;
  }

  /** Every object of one kind, without a selector. */
  private static List<KubeObject> list(String kind) {
    String[] r = KINDS.get(kind);
    KubernetesApiResponse<DynamicKubernetesListObject> response =
        new DynamicKubernetesApi(r[0], r[1], r[2], client).list(new ListOptions());
    assertThat(response.isSuccess()).as("list " + r[2]).isTrue();
    List<KubeObject> out = new ArrayList<>();
    for (DynamicKubernetesObject o : response.getObject().getItems()) {
      var raw = o.getRaw();
      raw.addProperty("apiVersion", r[0].isEmpty() ? r[1] : r[0] + "/" + r[1]);
      raw.addProperty("kind", kind);
      out.add(KubeObject.parse(raw.toString()));
    }
    return out;
  }
}
