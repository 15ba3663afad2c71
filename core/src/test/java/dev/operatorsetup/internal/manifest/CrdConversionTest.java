package dev.operatorsetup.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.Manifests.Variant;
import dev.operatorsetup.model.KubeObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CrdConversionTest {

  private static List<KubeObject> crds(Variant variant) {
    return Manifests.bundled(variant).load().objects().stream()
        .filter(o -> o.kind().equals("CustomResourceDefinition"))
        .toList();
  }

  static Stream<Arguments> bundledCrds() {
    return Stream.of(Variant.values())
        .flatMap(v -> crds(v).stream().map(crd -> Arguments.of(v, crd.name(), crd)));
  }

  private static KubeObject crd(String yaml) {
    return Manifests.parse("test", yaml.getBytes(StandardCharsets.UTF_8)).objects().get(0);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  @Test
  void theMasterInstallerHasEightAndV110SixV1beta1Crds() {
    assertThat(crds(Variant.INSTALLER)).hasSize(8).allMatch(CrdConversion::isV1beta1Crd);
    assertThat(crds(Variant.V1_1_0)).hasSize(6).allMatch(CrdConversion::isV1beta1Crd);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("bundledCrds")
  void everyBundledCrdBecomesAStructuralV1Crd(Variant variant, String name, KubeObject crd) {
    KubeObject v1 = CrdConversion.toV1(crd);
    JsonNode spec = v1.at("/spec");

    assertThat(v1.apiVersion()).isEqualTo("apiextensions.k8s.io/v1");
    assertThat(v1.name()).isEqualTo(name);
    assertThat(v1.at("/status").isMissingNode()).isTrue();
    assertThat(v1.at("/metadata").has("creationTimestamp")).isFalse();
    assertThat(fieldNames(spec))
        .doesNotContain("version", "validation", "subresources", "additionalPrinterColumns")
        .contains("group", "names", "scope", "versions");
    assertThat(spec.get("preserveUnknownFields").asBoolean(true)).isFalse();
    assertThat(spec.get("scope").asText()).isEqualTo("Namespaced");
    assertThat(spec.get("group")).isEqualTo(crd.at("/spec/group"));
    assertThat(spec.get("names")).isEqualTo(crd.at("/spec/names"));

    JsonNode versions = spec.get("versions");
    assertThat(versions).hasSize(1);
    JsonNode version = versions.get(0);
    assertThat(version.get("name").asText()).isEqualTo("v1");
    assertThat(version.get("served").asBoolean()).isTrue();
    assertThat(version.get("storage").asBoolean()).isTrue();
    assertThat(version.get("subresources")).isEqualTo(crd.at("/spec/subresources"));
    JsonNode schema = version.at("/schema/openAPIV3Schema");
    assertThat(StructuralSchema.violations(schema)).isEmpty();
    assertThat(schema.at("/properties/spec"))
        .as("the spec schema is kept as it was")
        .isEqualTo(crd.at("/spec/validation/openAPIV3Schema/properties/spec"));

    JsonNode columns = version.get("additionalPrinterColumns");
    JsonNode before = crd.at("/spec/additionalPrinterColumns");
    assertThat(columns).hasSameSizeAs(before).isNotEmpty();
    for (int i = 0; i < columns.size(); i++) {
      assertThat(fieldNames(columns.get(i))).contains("jsonPath").doesNotContain("JSONPath");
      assertThat(columns.get(i).get("jsonPath")).isEqualTo(before.get(i).get("JSONPath"));
      assertThat(columns.get(i).get("name")).isEqualTo(before.get(i).get("name"));
    }
  }

  @Test
  void v110SchemasAreRepairedWhereTheyWereNotStructural() {
    KubeObject crd = crds(Variant.V1_1_0).get(0);
    JsonNode before = crd.at("/spec/validation/openAPIV3Schema");

    JsonNode after = CrdConversion.toV1(crd).at("/spec/versions/0/schema/openAPIV3Schema");

    assertThat(crd.at("/spec/scope").asText()).isEmpty();
    assertThat(StructuralSchema.violations(before))
        .anySatisfy(v -> assertThat(v).startsWith("openAPIV3Schema.properties[metadata]"));
    assertThat(fieldNames(after.at("/properties/metadata/properties")))
        .containsExactly("name", "generateName");
    assertThat(after.at("/properties/metadata/type").asText()).isEqualTo("object");
    assertThat(StructuralSchema.violations(after)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void v1CrdsPassThroughUnchanged(Variant variant) {
    for (KubeObject crd : crds(variant)) {
      KubeObject v1 = CrdConversion.toV1(crd);

      assertThat(CrdConversion.toV1(v1)).isSameAs(v1);
      assertThat(CrdConversion.isV1beta1Crd(v1)).isFalse();
    }
  }

  @Test
  void aCrdWithOnlySpecVersionGetsThatVersionWithItsColumns() {
    KubeObject crd =
        crd(
            """
            apiVersion: apiextensions.k8s.io/v1beta1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            spec:
              group: example.com
              names: {kind: Widget, plural: widgets}
              version: v2
              additionalPrinterColumns:
              - {JSONPath: .spec.size, name: Size, type: integer, priority: 1, unknown: x}
            """);

    KubeObject v1 = CrdConversion.toV1(crd);

    JsonNode version = v1.at("/spec/versions/0");
    assertThat(v1.at("/spec/versions")).hasSize(1);
    assertThat(version.get("name").asText()).isEqualTo("v2");
    assertThat(version.get("served").asBoolean()).isTrue();
    assertThat(version.get("storage").asBoolean()).isTrue();
    assertThat(version.at("/schema/openAPIV3Schema/type").asText()).isEqualTo("object");
    assertThat(
            version.at("/schema/openAPIV3Schema/x-kubernetes-preserve-unknown-fields").asBoolean())
        .as("no schema in v1beta1 means anything goes; v1 needs that said")
        .isTrue();
    assertThat(fieldNames(version.at("/additionalPrinterColumns/0")))
        .containsExactly("name", "type", "priority", "jsonPath");
    assertThat(version.at("/additionalPrinterColumns/0/jsonPath").asText()).isEqualTo(".spec.size");
    assertThat(v1.at("/spec/scope").asText()).isEqualTo("Namespaced");
  }

  @Test
  void perVersionSettingsWinAndTheConversionWebhookMoves() {
    KubeObject crd =
        crd(
            """
            apiVersion: apiextensions.k8s.io/v1beta1
            kind: CustomResourceDefinition
            metadata:
              name: gadgets.example.com
            spec:
              group: example.com
              names: {kind: Gadget, plural: gadgets}
              scope: Cluster
              versions:
              - name: v1
                served: true
                storage: false
                schema:
                  openAPIV3Schema: {type: object, properties: {a: {type: string}}}
                subresources: {scale: {specReplicasPath: .spec.r, statusReplicasPath: .status.r}}
              - name: v2
                served: true
                storage: true
              validation:
                openAPIV3Schema: {type: object, properties: {b: {type: string}}}
              subresources: {status: {}}
              conversion:
                strategy: Webhook
                webhookClientConfig: {url: "https://convert.example.com"}
            """);

    KubeObject converted = CrdConversion.toV1(crd);

    JsonNode v1 = converted.at("/spec/versions/0");
    JsonNode v2 = converted.at("/spec/versions/1");
    assertThat(fieldNames(v1.at("/schema/openAPIV3Schema/properties"))).containsExactly("a");
    assertThat(fieldNames(v1.at("/subresources"))).containsExactly("scale");
    assertThat(fieldNames(v2.at("/schema/openAPIV3Schema/properties"))).containsExactly("b");
    assertThat(fieldNames(v2.at("/subresources"))).containsExactly("status");
    assertThat(v2.get("storage").asBoolean()).isTrue();
    assertThat(converted.at("/spec/scope").asText()).isEqualTo("Cluster");
    assertThat(converted.at("/spec/conversion/strategy").asText()).isEqualTo("Webhook");
    assertThat(converted.at("/spec/conversion/webhook/clientConfig/url").asText())
        .isEqualTo("https://convert.example.com");
    assertThat(converted.at("/spec/conversion/webhook/conversionReviewVersions/0").asText())
        .isEqualTo("v1beta1");
    assertThat(converted.at("/spec/conversion").has("webhookClientConfig")).isFalse();
  }

  @Test
  void aCrdWithoutAnyVersionIsRefused() {
    KubeObject crd =
        crd(
            "apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\n"
                + "metadata: {name: x.example.com}\nspec: {group: example.com}\n");

    assertThatThrownBy(() -> CrdConversion.toV1(crd))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("x.example.com")
        .hasMessageContaining("neither spec.version nor spec.versions");
  }

  @Test
  void onlyCrdsAreConverted() {
    KubeObject namespace = Manifests.bundled().load().objects().get(0);

    assertThatThrownBy(() -> CrdConversion.toV1(namespace))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
