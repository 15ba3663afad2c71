package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServerInfo;
import dev.operatorsetup.port.Kubernetes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Kubernetes} implementation shares with a real API server (Kubernetes
 * 1.22 or later, with kube-controller-manager, a scheduler and a node that runs pods). Subclasses
 * supply the implementation; the in-memory fake and the client-java adapter on a real control plane
 * both run it.
 *
 * <p>Every test works in its own namespace and on CRDs with their own API group (random suffixes),
 * so the suite can run on a shared cluster, and removes what it created afterwards.
 */
public abstract class KubernetesContract {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String MANAGER = "contract-test";
  private static final String OTHER = "contract-other";
  private static final Duration SHORT = Duration.ofMillis(1500);

  private final String id = suffix();
  private final Deque<ObjectRef> created = new ArrayDeque<>();
  private String namespace;

  /** Returns the implementation under test; the same instance for the whole test. */
  protected abstract Kubernetes kubernetes();

  /** How long a wait that should succeed may take; a real cluster needs seconds. */
  protected Duration patience() {
    return Duration.ofSeconds(90);
  }

  // ---------------------------------------------------------------------------------------------
  // server info

  @Test
  void serverInfo_reportsVersionAndServedGroupVersions() {
    ServerInfo info = kubernetes().serverInfo();

    assertThat(info.gitVersion()).startsWith("v1.");
    assertThat(info.groupVersions())
        .contains("v1", "apps/v1", "rbac.authorization.k8s.io/v1", "apiextensions.k8s.io/v1")
        .doesNotContain("apiextensions.k8s.io/v1beta1");
  }

  // ---------------------------------------------------------------------------------------------
  // server-side apply

  @Test
  void apply_creates_withUidResourceVersionCreationTimestampAndManagedFields() {
    KubeObject cm = apply(configMap("settings", Map.of("color", "blue")), MANAGER);

    assertThat(cm.name()).isEqualTo("settings");
    assertThat(cm.namespace()).contains(namespace());
    assertThat(cm.at("/data/color").asText()).isEqualTo("blue");
    assertThat(cm.at("/metadata/uid").asText()).isNotBlank();
    assertThat(cm.at("/metadata/resourceVersion").asText()).isNotBlank();
    assertThat(cm.at("/metadata/creationTimestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(managers(cm)).contains(MANAGER + "/Apply");
    assertThat(kubernetes().get(cm.ref()))
        .hasValueSatisfying(got -> assertThat(got.at("/data")).isEqualTo(cm.at("/data")));
  }

  @Test
  void apply_sameObjectAgain_changesNothing() {
    KubeObject first = apply(configMap("same", Map.of("a", "1")), MANAGER);

    KubeObject second = apply(configMap("same", Map.of("a", "1")), MANAGER);

    assertThat(second.at("/metadata/resourceVersion"))
        .isEqualTo(first.at("/metadata/resourceVersion"));
    assertThat(second.at("/metadata/uid")).isEqualTo(first.at("/metadata/uid"));
  }

  @Test
  void apply_generationMovesOnlyWhenTheSpecChanges() {
    KubeObject first = apply(deployment("gen", "img:1", 1, Map.of()), MANAGER);
    assertThat(first.at("/metadata/generation").asLong()).isEqualTo(1);

    // once the controller has written its last status (Progressing: NewReplicaSetAvailable, a
    // moment after the rollout is complete), a no-op apply changes nothing at all
    kubernetes().awaitRollout(namespace(), "gen", patience());
    awaitTrue(
        "the Deployment's status to settle",
        () -> "NewReplicaSetAvailable".equals(conditionReason(get(first.ref()), "Progressing")));
    KubeObject settled = get(first.ref());
    KubeObject noOp = apply(deployment("gen", "img:1", 1, Map.of()), MANAGER);
    assertThat(noOp.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(noOp.at("/metadata/resourceVersion"))
        .isEqualTo(settled.at("/metadata/resourceVersion"));

    KubeObject labelled = apply(deployment("gen", "img:1", 1, Map.of("tier", "backend")), MANAGER);
    assertThat(labelled.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(labelled.labels()).containsEntry("tier", "backend");

    KubeObject changed = apply(deployment("gen", "img:2", 1, Map.of("tier", "backend")), MANAGER);
    assertThat(changed.at("/metadata/generation").asLong()).isEqualTo(2);
  }

  @Test
  void apply_addsServerDefaults_andStillContainsWhatWasApplied() {
    KubeObject desired = deployment("defaults", "img:1", 1, Map.of());

    KubeObject stored = apply(desired, MANAGER);

    assertThat(stored.contains(desired)).isTrue();
    assertThat(stored.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(stored.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Always");
    assertThat(stored.at("/spec/template/spec/containers/0/imagePullPolicy").asText())
        .isEqualTo("IfNotPresent");
  }

  @Test
  void apply_fieldOwnedByAnotherManager_withOtherValue_conflictsNamingFieldAndManager() {
    apply(configMap("shared", Map.of("color", "blue")), MANAGER);

    assertThatThrownBy(() -> apply(configMap("shared", Map.of("color", "red")), OTHER))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining(".data.color")
        .hasMessageContaining(MANAGER);
    assertThat(get(configMapRef("shared")).at("/data/color").asText()).isEqualTo("blue");
  }

  @Test
  void apply_fieldOwnedByAnotherManager_withSameValue_isShared() {
    apply(configMap("co", Map.of("color", "blue")), MANAGER);

    KubeObject both = apply(configMap("co", Map.of("color", "blue")), OTHER);

    assertThat(managers(both)).contains(MANAGER + "/Apply", OTHER + "/Apply");
  }

  @Test
  void apply_withForce_takesTheFieldOver() {
    apply(configMap("forced", Map.of("color", "blue")), MANAGER);

    KubeObject taken = kubernetes().apply(configMap("forced", Map.of("color", "red")), OTHER, true);

    assertThat(taken.at("/data/color").asText()).isEqualTo("red");
    // the field now belongs to OTHER, so the first manager conflicts in turn
    assertThatThrownBy(() -> apply(configMap("forced", Map.of("color", "blue")), MANAGER))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining(OTHER);
  }

  @Test
  void apply_fieldTheManagerNoLongerApplies_isRemoved() {
    apply(configMap("shrink", Map.of("a", "1", "b", "2")), MANAGER);

    KubeObject after = apply(configMap("shrink", Map.of("a", "1")), MANAGER);

    assertThat(after.at("/data/a").asText()).isEqualTo("1");
    assertThat(after.at("/data/b").isMissingNode()).isTrue();
  }

  @Test
  void apply_fieldAnotherManagerAlsoOwns_isKeptWhenOneStopsApplyingIt() {
    apply(configMap("keep", Map.of("a", "1", "b", "2")), MANAGER);
    apply(configMap("keep", Map.of("b", "2")), OTHER);

    KubeObject after = apply(configMap("keep", Map.of("a", "1")), MANAGER);

    assertThat(after.at("/data/b").asText()).isEqualTo("2");
  }

  @Test
  void apply_containerRemovedFromTemplate_isRemoved() {
    KubeObject two =
        deployment("sidecar", "img:1", 1, Map.of())
            .edit(
                d ->
                    ((ArrayNode) d.at("/spec/template/spec/containers"))
                        .addObject()
                        .put("name", "proxy")
                        .put("image", "proxy:1"));
    apply(two, MANAGER);

    KubeObject one = apply(deployment("sidecar", "img:1", 1, Map.of()), MANAGER);

    assertThat(one.at("/spec/template/spec/containers").size()).isEqualTo(1);
    assertThat(one.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("main");
  }

  @Test
  void apply_inMissingNamespace_isNotFound() {
    KubeObject cm =
        KubeObject.parse(
            """
            {"apiVersion":"v1","kind":"ConfigMap",
             "metadata":{"name":"orphan","namespace":"absent-%s"},"data":{"a":"1"}}
            """
                .formatted(id));

    assertThatThrownBy(() -> kubernetes().apply(cm, MANAGER, false))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("absent-" + id);
  }

  @Test
  void apply_clusterScopedRbacAndAnnotatedServiceAccount_areStoredAsApplied() {
    KubeObject role =
        track(
            KubeObject.parse(
                """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
                 "metadata":{"name":"contract-%s-role"},
                 "rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get","list"]}]}
                """
                    .formatted(id)));
    KubeObject sa =
        KubeObject.parse(
            """
            {"apiVersion":"v1","kind":"ServiceAccount",
             "metadata":{"name":"operator","namespace":"%s",
              "annotations":{"eks.amazonaws.com/role-arn":"arn:aws:iam::123456789012:role/x"}}}
            """
                .formatted(namespace()));
    KubeObject binding =
        track(
            KubeObject.parse(
                """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding",
                 "metadata":{"name":"contract-%1$s-binding"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole",
                  "name":"contract-%1$s-role"},
                 "subjects":[{"kind":"ServiceAccount","name":"operator","namespace":"%2$s"}]}
                """
                    .formatted(id, namespace())));

    KubeObject storedRole = kubernetes().apply(role, MANAGER, false);
    KubeObject storedSa = apply(sa, MANAGER);
    KubeObject storedBinding = kubernetes().apply(binding, MANAGER, false);

    assertThat(storedRole.namespace()).isEmpty();
    assertThat(storedBinding.namespace()).isEmpty();
    assertThat(storedRole.contains(role)).isTrue();
    assertThat(storedBinding.contains(binding)).isTrue();
    assertThat(storedSa.annotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/x");
  }

  @Test
  void apply_roleBindingWithOtherRoleRef_isInvalid() {
    String template =
        """
        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
         "metadata":{"name":"binding","namespace":"%s"},
         "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"%s"},
         "subjects":[{"kind":"ServiceAccount","name":"default","namespace":"%s"}]}
        """;
    apply(KubeObject.parse(template.formatted(namespace(), "first", namespace())), MANAGER);

    assertThatThrownBy(
            () ->
                apply(
                    KubeObject.parse(template.formatted(namespace(), "second", namespace())),
                    MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("RoleBinding " + namespace() + "/binding")
        .hasMessageContaining("roleRef");
  }

  @Test
  void apply_deploymentWhoseSelectorDoesNotMatchItsTemplate_isInvalid() {
    KubeObject bad =
        deployment("mismatch", "img:1", 1, Map.of())
            .edit(d -> ((ObjectNode) d.at("/spec/selector/matchLabels")).put("app", "other"));

    assertThatThrownBy(() -> apply(bad, MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Deployment " + namespace() + "/mismatch")
        .hasMessageContaining("selector");
  }

  // ---------------------------------------------------------------------------------------------
  // CRDs and custom resources

  @Test
  void apply_legacyV1beta1Crd_isNotServed() {
    KubeObject legacy =
        KubeObject.parse(
            """
            {"apiVersion":"apiextensions.k8s.io/v1beta1","kind":"CustomResourceDefinition",
             "metadata":{"name":"gadgets.%1$s"},
             "spec":{"group":"%1$s","version":"v1","scope":"Namespaced",
              "names":{"kind":"Gadget","plural":"gadgets"},
              "versions":[{"name":"v1","served":true,"storage":true}]}}
            """
                .formatted(group()));

    assertThatThrownBy(() -> kubernetes().apply(legacy, MANAGER, false))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("no matches for kind")
        .hasMessageContaining("apiextensions.k8s.io/v1beta1");
  }

  @Test
  void apply_customResourceOfUnknownKind_isNotFound() {
    assertThatThrownBy(() -> apply(widget("w", namespace(), 3, "red"), MANAGER))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("no matches for kind")
        .hasMessageContaining("Widget");
  }

  @Test
  void crd_becomesEstablished_andItsCustomResourcesAreAccepted() {
    KubeObject crd = applyWidgetCrd();
    assertThat(crd.name()).isEqualTo(crdName());

    kubernetes().awaitCrdEstablished(crdName(), patience());

    KubeObject established = get(crd.ref());
    assertThat(conditionStatus(established, "Established")).isEqualTo("True");
    assertThat(conditionStatus(established, "NamesAccepted")).isEqualTo("True");
    assertThat(kubernetes().serverInfo().serves(group() + "/v1")).isTrue();
    KubeObject w = applyEventually(widget("w", namespace(), 3, "red"));
    assertThat(w.at("/spec/size").asInt()).isEqualTo(3);
    assertThat(kubernetes().get(w.ref())).isPresent();
  }

  @Test
  void customResource_violatingTheSchema_isRejected() {
    applyWidgetCrd();
    kubernetes().awaitCrdEstablished(crdName(), patience());
    applyEventually(widget("valid", namespace(), 3, "red"));

    KubeObject wrongType =
        KubeObject.parse(
            """
            {"apiVersion":"%s/v1","kind":"Widget","metadata":{"name":"bad","namespace":"%s"},
             "spec":{"size":"big","color":"red"}}
            """
                .formatted(group(), namespace()));

    assertThatThrownBy(() -> apply(wrongType, MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Widget " + namespace() + "/bad")
        .hasMessageContaining("spec.size");
    assertThatThrownBy(() -> apply(widget("pink", namespace(), 3, "pink"), MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("spec.color");
    assertThat(kubernetes().get(ref(group() + "/v1", "Widget", namespace(), "bad"))).isEmpty();
  }

  @Test
  void customResource_withAFieldTheSchemaDoesNotDeclare_isRejected() {
    applyWidgetCrd();
    kubernetes().awaitCrdEstablished(crdName(), patience());
    applyEventually(widget("fine", namespace(), 2, "blue"));
    KubeObject extra =
        widget("extra", namespace(), 2, "blue")
            .edit(w -> ((ObjectNode) w.get("spec")).put("unknownField", "x"));

    // server-side apply does not prune (only create and update do): it refuses the object
    assertThatThrownBy(() -> apply(extra, MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Widget " + namespace() + "/extra")
        .hasMessageContaining(".spec.unknownField: field not declared in schema");
    assertThat(kubernetes().get(ref(group() + "/v1", "Widget", namespace(), "extra"))).isEmpty();
  }

  @Test
  void apply_builtInObjectWithAMisspelledField_isRejected() {
    KubeObject typo =
        configMap("typo", Map.of("a", "1"))
            .edit(c -> ((ObjectNode) c.get("metadata")).putObject("lables").put("app", "x"));

    assertThatThrownBy(() -> apply(typo, MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("ConfigMap " + namespace() + "/typo")
        .hasMessageContaining(".metadata.lables: field not declared in schema");
    assertThat(kubernetes().get(configMapRef("typo"))).isEmpty();
  }

  @Test
  void apply_managerThatStopsApplyingEverything_leavesNoEmptyMapsAndNoManagedFieldsEntry() {
    apply(
        configMap("bare", Map.of("a", "1"))
            .edit(c -> ((ObjectNode) c.get("metadata")).putObject("labels").put("app", "x")),
        MANAGER);

    KubeObject bare =
        apply(
            KubeObject.parse(
                """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bare","namespace":"%s"}}
                """
                    .formatted(namespace())),
            MANAGER);

    assertThat(bare.at("/data").isMissingNode()).isTrue();
    assertThat(bare.at("/metadata/labels").isMissingNode()).isTrue();
    assertThat(managers(bare)).doesNotContain(MANAGER + "/Apply");
  }

  @Test
  void listCustomResources_findsThemInEveryNamespace() {
    applyWidgetCrd();
    kubernetes().awaitCrdEstablished(crdName(), patience());
    String second = createNamespace("contract-" + id + "-b");
    applyEventually(widget("one", namespace(), 1, "red"));
    applyEventually(widget("two", second, 2, "blue"));

    List<KubeObject> all = kubernetes().listCustomResources(crdName());

    assertThat(all)
        .extracting(o -> o.namespace().orElse("") + "/" + o.name())
        .containsExactlyInAnyOrder(namespace() + "/one", second + "/two");
    assertThat(all).allSatisfy(o -> assertThat(o.kind()).isEqualTo("Widget"));
  }

  @Test
  void listCustomResources_ofAMissingCrd_isEmpty() {
    assertThat(kubernetes().listCustomResources("nothings." + group())).isEmpty();
  }

  @Test
  void deletingACrd_deletesItsCustomResources() {
    KubeObject crd = applyWidgetCrd();
    kubernetes().awaitCrdEstablished(crdName(), patience());
    KubeObject w = applyEventually(widget("doomed", namespace(), 1, "red"));

    assertThat(kubernetes().delete(crd.ref())).isTrue();
    kubernetes().awaitDeleted(crd.ref(), patience());

    assertThat(kubernetes().get(w.ref())).isEmpty();
    assertThat(kubernetes().listCustomResources(crdName())).isEmpty();
  }

  @Test
  void awaitCrdEstablished_ofAMissingCrd_timesOutNamingIt() {
    assertThatThrownBy(() -> kubernetes().awaitCrdEstablished("nothings." + group(), SHORT))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("nothings." + group())
        .satisfies(
            e ->
                assertThat(((WaitTimeoutException) e).waitingFor())
                    .contains("nothings." + group()));
  }

  @Test
  void awaits_stopWhenTheThreadIsInterrupted_andKeepTheInterruptFlag() throws Exception {
    String crd = "nothings." + group();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                kubernetes().awaitCrdEstablished(crd, Duration.ofMinutes(2));
              } catch (RuntimeException e) {
                thrown.set(e);
              }
              flag.set(Thread.currentThread().isInterrupted());
            });
    waiter.start();
    Thread.sleep(300);
    waiter.interrupt();
    waiter.join(10_000);

    assertThat(waiter.isAlive()).isFalse();
    assertThat(thrown.get())
        .isInstanceOf(OperatorSetupException.class)
        .isNotInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("Interrupted")
        .hasMessageContaining(crd);
    assertThat(flag.get()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------
  // Deployments and pods

  @Test
  void deployment_rollsOut_withReadyPodsThatCarryTheTemplateLabels() {
    KubeObject d = apply(deployment("web", "img:1", 2, Map.of()), MANAGER);

    kubernetes().awaitRollout(namespace(), "web", patience());

    KubeObject rolled = get(d.ref());
    assertThat(rolled.at("/status/observedGeneration").asLong())
        .isGreaterThanOrEqualTo(rolled.at("/metadata/generation").asLong());
    assertThat(rolled.at("/status/updatedReplicas").asInt()).isEqualTo(2);
    assertThat(rolled.at("/status/availableReplicas").asInt()).isEqualTo(2);
    assertThat(conditionStatus(rolled, "Available")).isEqualTo("True");
    List<KubeObject> pods = podsEventually("web", 2);
    assertThat(pods)
        .allSatisfy(
            p -> {
              assertThat(p.labels()).containsEntry("app", "web");
              assertThat(p.at("/status/startTime").asText()).isNotBlank();
              assertThat(p.at("/status/containerStatuses/0/ready").asBoolean()).isTrue();
              assertThat(p.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("ReplicaSet");
            });
  }

  @Test
  void changedPodTemplate_replacesThePods() {
    apply(deployment("roll", "img:1", 1, Map.of()), MANAGER);
    kubernetes().awaitRollout(namespace(), "roll", patience());
    Set<String> before = podNames(podsEventually("roll", 1));

    apply(deployment("roll", "img:2", 1, Map.of()), MANAGER);
    kubernetes().awaitRollout(namespace(), "roll", patience());

    List<KubeObject> after = podsEventually("roll", 1);
    assertThat(podNames(after)).doesNotContainAnyElementsOf(before);
    assertThat(after.get(0).at("/spec/containers/0/image").asText()).isEqualTo("img:2");
  }

  @Test
  void restartDeployment_setsRestartedAtAndReplacesThePods() {
    apply(deployment("restart", "img:1", 1, Map.of()), MANAGER);
    kubernetes().awaitRollout(namespace(), "restart", patience());
    Set<String> before = podNames(podsEventually("restart", 1));

    kubernetes().restartDeployment(namespace(), "restart", MANAGER);
    kubernetes().awaitRollout(namespace(), "restart", patience());

    KubeObject d = get(ref("apps/v1", "Deployment", namespace(), "restart"));
    assertThat(
            d.at("/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt").asText())
        .isNotBlank();
    assertThat(d.at("/metadata/generation").asLong()).isEqualTo(2);
    assertThat(podNames(podsEventually("restart", 1))).doesNotContainAnyElementsOf(before);
    // applying the unchanged manifest again neither conflicts nor undoes the restart
    KubeObject again = apply(deployment("restart", "img:1", 1, Map.of()), MANAGER);
    assertThat(again.at("/metadata/generation").asLong()).isEqualTo(2);
  }

  @Test
  void restartDeployment_ofAMissingDeployment_isNotFound() {
    assertThatThrownBy(() -> kubernetes().restartDeployment(namespace(), "absent", MANAGER))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("absent");
  }

  @Test
  void awaitRollout_ofPodsThatCannotBeScheduled_timesOutNamingTheDeployment() {
    KubeObject stuck =
        deployment("stuck", "img:1", 1, Map.of())
            .edit(
                d ->
                    ((ObjectNode) d.at("/spec/template/spec"))
                        .putObject("nodeSelector")
                        .put("operator-setup.dev/no-such-node", "true"));
    apply(stuck, MANAGER);

    assertThatThrownBy(() -> kubernetes().awaitRollout(namespace(), "stuck", Duration.ofSeconds(3)))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("Deployment " + namespace() + "/stuck");
  }

  @Test
  void awaitRollout_ofAMissingDeployment_timesOutNamingIt() {
    assertThatThrownBy(() -> kubernetes().awaitRollout(namespace(), "absent", SHORT))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("Deployment " + namespace() + "/absent");
  }

  @Test
  void listPods_returnsOnlyPodsMatchingTheSelectorInTheNamespace() {
    apply(deployment("alpha", "img:1", 1, Map.of()), MANAGER);
    apply(deployment("beta", "img:1", 2, Map.of()), MANAGER);
    kubernetes().awaitRollout(namespace(), "alpha", patience());
    kubernetes().awaitRollout(namespace(), "beta", patience());

    assertThat(podsEventually("alpha", 1))
        .allSatisfy(p -> assertThat(p.labels()).containsEntry("app", "alpha"));
    assertThat(podsEventually("beta", 2))
        .allSatisfy(p -> assertThat(p.namespace()).contains(namespace()));
    assertThat(kubernetes().listPods(namespace(), Map.of("app", "gamma"))).isEmpty();
    assertThat(kubernetes().listPods("default", Map.of("app", "alpha"))).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // get and delete

  @Test
  void get_ofAMissingObjectOrUnknownKind_isEmpty() {
    assertThat(kubernetes().get(configMapRef("absent"))).isEmpty();
    assertThat(kubernetes().get(ref(group() + "/v1", "Widget", namespace(), "absent"))).isEmpty();
  }

  @Test
  void delete_ofAMissingObject_returnsFalse_asDoesRemoveFinalizers() {
    assertThat(kubernetes().delete(configMapRef("absent"))).isFalse();
    assertThat(kubernetes().removeFinalizers(configMapRef("absent"))).isFalse();
    kubernetes().awaitDeleted(configMapRef("absent"), SHORT);
  }

  @Test
  void delete_objectWithFinalizer_staysUntilTheFinalizersAreRemoved() {
    apply(
        track(
            configMap("held", Map.of("a", "1")).edit(c -> finalizer(c, "operator-setup.dev/hold"))),
        MANAGER);

    assertThat(kubernetes().delete(configMapRef("held"))).isTrue();

    KubeObject terminating = get(configMapRef("held"));
    assertThat(terminating.at("/metadata/deletionTimestamp").asText()).isNotBlank();
    assertThatThrownBy(() -> kubernetes().awaitDeleted(configMapRef("held"), SHORT))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("ConfigMap " + namespace() + "/held");
    assertThat(kubernetes().removeFinalizers(configMapRef("held"))).isTrue();
    kubernetes().awaitDeleted(configMapRef("held"), patience());
    assertThat(kubernetes().get(configMapRef("held"))).isEmpty();
  }

  @Test
  void deletingANamespace_deletesItsObjects() {
    String ns = createNamespace("contract-" + id + "-gone");
    KubeObject cm =
        kubernetes()
            .apply(
                configMap("inside", Map.of("a", "1"))
                    .edit(c -> ((ObjectNode) c.get("metadata")).put("namespace", ns)),
                MANAGER,
                false);
    ObjectRef nsRef = ref("v1", "Namespace", null, ns);

    assertThat(kubernetes().delete(nsRef)).isTrue();
    kubernetes().awaitDeleted(nsRef, patience());

    assertThat(kubernetes().get(cm.ref())).isEmpty();
    assertThat(kubernetes().get(nsRef)).isEmpty();
  }

  @Test
  void namespaceDeletion_waitsForTheFinalizersOfItsObjects_andRefusesNewObjects() {
    String ns = createNamespace("contract-" + id + "-held");
    KubeObject held =
        kubernetes()
            .apply(
                track(
                    configMap("held", Map.of("a", "1"))
                        .edit(
                            c -> {
                              ((ObjectNode) c.get("metadata")).put("namespace", ns);
                              finalizer(c, "operator-setup.dev/hold");
                            })),
                MANAGER,
                false);
    ObjectRef nsRef = ref("v1", "Namespace", null, ns);
    kubernetes().delete(nsRef);

    awaitTrue(
        "the ConfigMap to be marked for deletion",
        () ->
            kubernetes()
                .get(held.ref())
                .map(o -> o.at("/metadata/deletionTimestamp").isTextual())
                .orElse(false));
    assertThat(get(nsRef).at("/status/phase").asText()).isEqualTo("Terminating");
    KubeObject newcomer =
        configMap("late", Map.of("a", "1"))
            .edit(c -> ((ObjectNode) c.get("metadata")).put("namespace", ns));
    assertThatThrownBy(() -> kubernetes().apply(newcomer, MANAGER, false))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("being terminated");

    assertThat(kubernetes().removeFinalizers(held.ref())).isTrue();
    kubernetes().awaitDeleted(nsRef, patience());
    assertThat(kubernetes().get(held.ref())).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // cleanup

  @AfterEach
  void removeWhatTheTestCreated() {
    Kubernetes k = kubernetes();
    try {
      for (KubeObject left : k.listCustomResources(crdName())) {
        k.removeFinalizers(left.ref());
      }
    } catch (OperatorSetupException ignored) {
      // best effort: the CRD may be gone already
    }
    while (!created.isEmpty()) {
      ObjectRef ref = created.pop();
      try {
        k.removeFinalizers(ref);
        k.delete(ref);
      } catch (OperatorSetupException ignored) {
        // best effort: the test may have deleted it already or left it broken on purpose
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static String suffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** The test's own namespace, created on first use. */
  protected final String namespace() {
    if (namespace == null) {
      namespace = createNamespace("contract-" + id);
    }
    return namespace;
  }

  private String createNamespace(String name) {
    KubeObject ns =
        KubeObject.parse(
            """
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"}}
            """
                .formatted(name));
    created.push(ns.ref());
    kubernetes().apply(ns, MANAGER, false);
    return name;
  }

  private KubeObject track(KubeObject object) {
    created.push(object.ref());
    return object;
  }

  private String group() {
    return "c" + id + ".contract.operator-setup.dev";
  }

  private String crdName() {
    return "widgets." + group();
  }

  private KubeObject applyWidgetCrd() {
    KubeObject crd =
        KubeObject.parse(
            """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"widgets.%1$s"},
             "spec":{"group":"%1$s","scope":"Namespaced",
              "names":{"kind":"Widget","plural":"widgets","singular":"widget","listKind":"WidgetList"},
              "versions":[{"name":"v1","served":true,"storage":true,
               "subresources":{"status":{}},
               "schema":{"openAPIV3Schema":{"type":"object","properties":{
                "spec":{"type":"object","required":["size"],"properties":{
                 "size":{"type":"integer","minimum":0},
                 "color":{"type":"string","enum":["red","blue"]}}},
                "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}}}]}}
            """
                .formatted(group()));
    track(crd);
    return kubernetes().apply(crd, MANAGER, false);
  }

  private KubeObject widget(String name, String ns, int size, String color) {
    return KubeObject.parse(
        """
        {"apiVersion":"%s/v1","kind":"Widget","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"size":%d,"color":"%s"}}
        """
            .formatted(group(), name, ns, size, color));
  }

  /**
   * Applies a custom resource right after its CRD became Established. A real server may need a
   * moment before its discovery serves the new kind, so "no matches for kind" is retried briefly.
   */
  private KubeObject applyEventually(KubeObject object) {
    long deadline = System.nanoTime() + patience().toNanos();
    while (true) {
      try {
        return kubernetes().apply(object, MANAGER, false);
      } catch (ResourceNotFoundException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(200);
      }
    }
  }

  private KubeObject configMap(String name, Map<String, String> data) {
    String entries =
        data.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
            .collect(Collectors.joining(","));
    return KubeObject.parse(
        """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"%s"},
         "data":{%s}}
        """
            .formatted(name, namespace(), entries));
  }

  private ObjectRef configMapRef(String name) {
    return ref("v1", "ConfigMap", namespace(), name);
  }

  private KubeObject deployment(
      String name, String image, int replicas, Map<String, String> labels) {
    String extra =
        labels.entrySet().stream()
            .map(e -> ",\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
            .collect(Collectors.joining());
    return KubeObject.parse(
        """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"%1$s","namespace":"%2$s","labels":{"app":"%1$s"%5$s}},
         "spec":{"replicas":%4$d,"selector":{"matchLabels":{"app":"%1$s"}},
          "template":{"metadata":{"labels":{"app":"%1$s"}},
           "spec":{"containers":[{"name":"main","image":"%3$s"}]}}}}
        """
            .formatted(name, namespace(), image, replicas, extra));
  }

  private static void finalizer(ObjectNode object, String name) {
    ((ObjectNode) object.get("metadata")).putArray("finalizers").add(name);
  }

  private KubeObject apply(KubeObject object, String manager) {
    return kubernetes().apply(object, manager, false);
  }

  private KubeObject get(ObjectRef ref) {
    return kubernetes()
        .get(ref)
        .orElseThrow(() -> new AssertionError(ref.display() + " should exist"));
  }

  private static ObjectRef ref(String apiVersion, String kind, String ns, String name) {
    return ObjectRef.of(apiVersion, kind, ns, name);
  }

  private static List<String> managers(KubeObject object) {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode m : object.at("/metadata/managedFields")) {
      out.add(m.path("manager").asText() + "/" + m.path("operation").asText());
    }
    return out;
  }

  private static String conditionReason(KubeObject object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("reason").asText();
      }
    }
    return null;
  }

  private static String conditionStatus(KubeObject object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText();
      }
    }
    return null;
  }

  /**
   * Returns the app's pods once there are exactly {@code count} of them that are not being deleted
   * (a real cluster removes the replaced pods a little after the rollout completes).
   */
  private List<KubeObject> podsEventually(String app, int count) {
    AtomicReference<List<KubeObject>> last = new AtomicReference<>(List.of());
    awaitTrue(
        count + " running pods of " + app,
        () -> {
          last.set(kubernetes().listPods(namespace(), Map.of("app", app)));
          return last.get().size() == count
              && last.get().stream()
                  .noneMatch(p -> p.at("/metadata/deletionTimestamp").isTextual());
        });
    return last.get();
  }

  private static Set<String> podNames(List<KubeObject> pods) {
    Set<String> names = new HashSet<>();
    pods.forEach(p -> names.add(p.name()));
    return names;
  }

  private void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + patience().toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      sleep(100);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
