package dev.operatorsetup.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.Manifests.Variant;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ServiceAccountRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ManifestRendererTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/sagemaker-operator";
  private static final String OLD_NS = "sagemaker-k8s-operator-system";
  private static final String SA = "sagemaker-k8s-operator-default";
  private static final String DEAD = "gcr.io/kubebuilder/kube-rbac-proxy:v0.4.0";
  private static final String MANAGER =
      "957583890962.dkr.ecr.us-east-1.amazonaws.com/amazon-sagemaker-operator-for-k8s:v1";

  private static ManifestPatch patch(String namespace) {
    return patch(namespace, SA, Map.of());
  }

  private static ManifestPatch patch(String namespace, String sa, Map<String, String> images) {
    return new ManifestPatch.Builder()
        .roleArn(Arn.parseRole("role ARN", ROLE))
        .serviceAccount(ServiceAccountRef.of(namespace, sa))
        .imageOverrides(images)
        .build();
  }

  private static Manifest load(Variant variant) {
    return Manifests.bundled(variant).load();
  }

  /** Counts string values below {@code node} that contain {@code text}. */
  private static int countStrings(JsonNode node, String text) {
    if (node.isTextual()) {
      return node.asText().contains(text) ? 1 : 0;
    }
    int count = 0;
    for (JsonNode child : node) {
      count += countStrings(child, text);
    }
    return count;
  }

  private static List<String> reversedNames(List<KubeObject> objects) {
    List<String> names = new ArrayList<>(objects.stream().map(KubeObject::name).toList());
    Collections.reverse(names);
    return names;
  }

  private static int countStrings(List<KubeObject> objects, String text) {
    return objects.stream().mapToInt(o -> countStrings(o.json(), text)).sum();
  }

  @Test
  void theInstallerChangesOnlyWhereThePatchSays() {
    Manifest manifest = load(Variant.INSTALLER);

    List<KubeObject> rendered = ManifestRenderer.render(manifest, patch(OLD_NS), false);

    // build the expected trees by hand from the original, then compare whole trees
    List<ObjectNode> expected = new ArrayList<>();
    for (KubeObject object : manifest.objects()) {
      ObjectNode node = object.json();
      node.remove("status");
      ((ObjectNode) node.get("metadata")).remove("creationTimestamp");
      expected.add(node);
    }
    ((ObjectNode) expected.get(9).at("/metadata/annotations"))
        .put("eks.amazonaws.com/role-arn", ROLE);
    ObjectNode template = (ObjectNode) expected.get(17).at("/spec/template");
    ((ObjectNode) template.get("metadata"))
        .putObject("annotations")
        .put("operator-setup/role-arn", ROLE);
    ((ObjectNode) template.at("/spec/containers/0"))
        .put("image", "quay.io/brancz/kube-rbac-proxy:v0.4.0");

    assertThat(rendered).hasSize(18);
    for (int i = 0; i < rendered.size(); i++) {
      assertThat(rendered.get(i).json()).as("object %d", i).isEqualTo(expected.get(i));
    }
    assertThat(countStrings(rendered, ROLE)).isEqualTo(2);
    assertThat(countStrings(rendered, "DELETE_ME")).isZero();
  }

  @Test
  void theRoleArnGoesOnExactlyOneServiceAccount() {
    List<KubeObject> rendered =
        ManifestRenderer.render(load(Variant.INSTALLER), patch(OLD_NS), true);

    assertThat(rendered)
        .filteredOn(o -> o.annotations().containsKey("eks.amazonaws.com/role-arn"))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.kind()).isEqualTo("ServiceAccount");
              assertThat(o.name()).isEqualTo(SA);
              assertThat(o.annotations()).containsEntry("eks.amazonaws.com/role-arn", ROLE);
            });
  }

  @Test
  void theNamespacedVariantHasAllFourteenPlaceholdersReplaced() {
    Manifest manifest = load(Variant.NAMESPACED);
    assertThat(countStrings(manifest.objects(), "PLACEHOLDER-NAMESPACE")).isEqualTo(14);

    List<KubeObject> rendered = ManifestRenderer.render(manifest, patch("ml-team"), true);

    assertThat(countStrings(rendered, "PLACEHOLDER-NAMESPACE")).isZero();
    assertThat(countStrings(rendered, "ml-team")).isEqualTo(14);
    assertThat(rendered.get(8).kind()).isEqualTo("Namespace");
    assertThat(rendered.get(8).name()).isEqualTo("ml-team");
    assertThat(rendered.subList(9, 18))
        .allMatch(o -> o.namespace().equals(java.util.Optional.of("ml-team")));
    KubeObject deployment = rendered.get(17);
    assertThat(deployment.at("/spec/template/spec/containers/0/args").toString())
        .contains("--namespace=ml-team");
    assertThat(rendered.get(9).annotations()).containsEntry("eks.amazonaws.com/role-arn", ROLE);
  }

  @Test
  void movingTheClusterInstallerUpdatesObjectsAndTheThreeBindingSubjects() {
    Manifest manifest = load(Variant.INSTALLER);

    List<KubeObject> rendered = ManifestRenderer.render(manifest, patch("ml-team"), false);

    assertThat(countStrings(rendered, OLD_NS)).isZero();
    assertThat(rendered.get(0).name()).isEqualTo("ml-team");
    List<KubeObject> bindings =
        rendered.stream().filter(o -> o.kind().endsWith("RoleBinding")).toList();
    assertThat(bindings).hasSize(3);
    for (KubeObject binding : bindings) {
      assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo("ml-team");
      assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(SA);
    }
    assertThat(rendered)
        .filteredOn(o -> o.namespace().isPresent())
        .extracting(o -> o.namespace().orElseThrow())
        .hasSize(5)
        .containsOnly("ml-team");
    // cluster-scoped objects stay cluster-scoped
    assertThat(rendered.get(11).namespace()).isEmpty();
    assertThat(rendered.get(9).annotations()).containsEntry("eks.amazonaws.com/role-arn", ROLE);
  }

  @Test
  void theDeadRbacProxyImageIsReplacedByDefault() {
    List<KubeObject> rendered =
        ManifestRenderer.render(load(Variant.INSTALLER), patch(OLD_NS), true);

    JsonNode containers = rendered.get(17).at("/spec/template/spec/containers");
    assertThat(containers.get(0).get("image").asText()).isEqualTo(ManifestPatch.LIVE_RBAC_PROXY);
    assertThat(containers.get(1).get("image").asText()).isEqualTo(MANAGER);
    assertThat(countStrings(rendered, DEAD)).isZero();
  }

  @Test
  void aUserImageOverrideWinsAndAppliesToInitContainersToo() {
    KubeObject withInit =
        load(Variant.INSTALLER)
            .objects()
            .get(17)
            .edit(
                d ->
                    ((ObjectNode) d.at("/spec/template/spec"))
                        .putArray("initContainers")
                        .addObject()
                        .put("name", "init")
                        .put("image", MANAGER));
    List<KubeObject> objects = new ArrayList<>(load(Variant.INSTALLER).objects());
    objects.set(17, withInit);
    Manifest manifest =
        new Manifest.Builder().origin("test").sha256("0".repeat(64)).objects(objects).build();
    String mirror = "registry.example.com/mirror/kube-rbac-proxy:v0.4.0";
    String privateManager = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-operator:v1";

    List<KubeObject> rendered =
        ManifestRenderer.render(
            manifest, patch(OLD_NS, SA, Map.of(DEAD, mirror, MANAGER, privateManager)), false);

    JsonNode spec = rendered.get(17).at("/spec/template/spec");
    assertThat(spec.at("/containers/0/image").asText()).isEqualTo(mirror);
    assertThat(spec.at("/containers/1/image").asText()).isEqualTo(privateManager);
    assertThat(spec.at("/initContainers/0/image").asText()).isEqualTo(privateManager);
  }

  @Test
  void theChinaVariantHasNoSidecarAndStillRenders() {
    Manifest manifest = load(Variant.CHINA);

    List<KubeObject> rendered = ManifestRenderer.render(manifest, patch(OLD_NS), true);

    JsonNode containers = rendered.get(17).at("/spec/template/spec/containers");
    assertThat(containers).hasSize(1);
    assertThat(containers.get(0).get("name").asText()).isEqualTo("manager");
    assertThat(containers.get(0).get("image"))
        .isEqualTo(manifest.objects().get(17).at("/spec/template/spec/containers/0/image"));
    assertThat(rendered.get(9).annotations()).containsEntry("eks.amazonaws.com/role-arn", ROLE);
    assertThat(
            rendered
                .get(17)
                .at("/spec/template/metadata/annotations/operator-setup~1role-arn")
                .asText())
        .isEqualTo(ROLE);
  }

  @Test
  void theDeploymentPodTemplateCarriesTheRoleSoAChangedRoleRollsThePods() {
    List<KubeObject> first = ManifestRenderer.render(load(Variant.INSTALLER), patch(OLD_NS), true);
    ManifestPatch other =
        new ManifestPatch.Builder()
            .from(patch(OLD_NS))
            .roleArn(Arn.parseRole("role ARN", "arn:aws:iam::111122223333:role/other"))
            .build();
    List<KubeObject> second = ManifestRenderer.render(load(Variant.INSTALLER), other, true);

    assertThat(
            first
                .get(17)
                .at("/spec/template/metadata/annotations/operator-setup~1role-arn")
                .asText())
        .isEqualTo(ROLE);
    assertThat(first.get(17).at("/spec/template"))
        .isNotEqualTo(second.get(17).at("/spec/template"));
  }

  @Test
  void aMissingServiceAccountNamesTheManifestAndTheFix() {
    assertThatThrownBy(
            () ->
                ManifestRenderer.render(
                    load(Variant.INSTALLER), patch(OLD_NS, "other-sa", Map.of()), false))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> {
              assertThat(e.field()).isEqualTo("service account");
              assertThat(e.getMessage())
                  .contains(
                      "manifest 'bundled:installer' has no ServiceAccount " + OLD_NS + "/other-sa")
                  .contains("its ServiceAccounts: " + OLD_NS + "/" + SA)
                  .contains("--service-account");
            });
  }

  @Test
  void aServiceAccountDefinedTwiceIsRefused() {
    Manifest installer = load(Variant.INSTALLER);
    List<KubeObject> objects = new ArrayList<>(installer.objects());
    objects.add(objects.get(9));
    Manifest doubled =
        new Manifest.Builder()
            .origin("doubled.yaml")
            .sha256(installer.sha256())
            .objects(objects)
            .build();

    assertThatThrownBy(() -> ManifestRenderer.render(doubled, patch(OLD_NS), false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("manifest 'doubled.yaml' defines the ServiceAccount")
        .hasMessageContaining("2 times");
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void crdsAreConvertedOnlyWhenAsked(Variant variant) {
    Manifest manifest = load(variant);

    List<KubeObject> converted = ManifestRenderer.render(manifest, patch(OLD_NS), true);
    List<KubeObject> kept = ManifestRenderer.render(manifest, patch(OLD_NS), false);

    assertThat(converted)
        .filteredOn(o -> o.kind().equals("CustomResourceDefinition"))
        .isNotEmpty()
        .allMatch(o -> o.apiVersion().equals("apiextensions.k8s.io/v1"))
        .allSatisfy(
            o ->
                assertThat(
                        StructuralSchema.violations(
                            o.at("/spec/versions/0/schema/openAPIV3Schema")))
                    .isEmpty());
    assertThat(kept)
        .filteredOn(o -> o.kind().equals("CustomResourceDefinition"))
        .allMatch(o -> o.apiVersion().equals("apiextensions.k8s.io/v1beta1"))
        .allMatch(o -> o.at("/status").isMissingNode())
        .allMatch(o -> !o.at("/metadata").has("creationTimestamp"));
    // rendered objects survive the trip through YAML for `render`
    assertThat(
            Manifests.parse("r", Manifests.toYaml(converted).getBytes(StandardCharsets.UTF_8))
                .objects())
        .isEqualTo(converted);
  }

  @Test
  void applyOrderGroupsByKindAndKeepsFileOrderWithinAKind() {
    List<KubeObject> rendered =
        ManifestRenderer.render(load(Variant.INSTALLER), patch(OLD_NS), true);
    List<KubeObject> shuffled = new ArrayList<>(rendered);
    Collections.reverse(shuffled);
    KubeObject configMap =
        KubeObject.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");
    KubeObject other =
        KubeObject.parse(
            "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":{\"name\":\"p\"}}");
    shuffled.add(0, other);
    shuffled.add(configMap);

    List<KubeObject> ordered = ManifestRenderer.applyOrder(shuffled);

    assertThat(ordered)
        .extracting(KubeObject::kind)
        .containsExactly(
            "Namespace",
            "CustomResourceDefinition",
            "CustomResourceDefinition",
            "CustomResourceDefinition",
            "CustomResourceDefinition",
            "CustomResourceDefinition",
            "CustomResourceDefinition",
            "CustomResourceDefinition",
            "CustomResourceDefinition",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRole",
            "Role",
            "ClusterRoleBinding",
            "ClusterRoleBinding",
            "RoleBinding",
            "ConfigMap",
            "Service",
            "Deployment",
            "PodDisruptionBudget");
    // stable: the reversed input order is kept within a kind
    assertThat(ordered.subList(1, 9))
        .extracting(KubeObject::name)
        .isEqualTo(reversedNames(rendered.subList(1, 9)));
    assertThat(ManifestRenderer.applyOrder(rendered).subList(0, 10))
        .isEqualTo(rendered.subList(0, 10));

    List<KubeObject> deletion = ManifestRenderer.deleteOrder(shuffled);
    List<KubeObject> reversed = new ArrayList<>(ordered);
    Collections.reverse(reversed);
    assertThat(deletion).isEqualTo(reversed);
    assertThat(deletion.get(0).kind()).isEqualTo("PodDisruptionBudget");
    assertThat(deletion.get(deletion.size() - 1).kind()).isEqualTo("Namespace");
  }
}
