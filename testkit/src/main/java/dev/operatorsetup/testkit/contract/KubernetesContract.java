package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ServerInfo;
import dev.operatorsetup.port.Kubernetes;
import java.util.Map;
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
public abstract class KubernetesContract extends KubernetesCrdContract {
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
}
