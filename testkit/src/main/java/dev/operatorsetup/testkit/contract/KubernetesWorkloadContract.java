package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@link KubernetesContract} tests of Deployments and pods, get, delete and namespaces. */
abstract class KubernetesWorkloadContract extends KubernetesContractSupport {
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
}
