package dev.operatorsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.Manifests.Variant;
import dev.operatorsetup.internal.manifest.Sha256;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.port.ManifestSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestsTest {
  private static final String FOLDER = "/dev/operatorsetup/manifests/";
  private static final List<String> MASTER_CRDS =
      List.of(
          "batchtransformjobs",
          "endpointconfigs",
          "hostingautoscalingpolicies",
          "hostingdeployments",
          "hyperparametertuningjobs",
          "models",
          "processingjobs",
          "trainingjobs");

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ManifestsTest.class.getResourceAsStream(FOLDER + name)) {
      assertThat(in).as("bundled resource %s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** Returns file name to sha256 as listed in the bundled PROVENANCE.md. */
  private static Map<String, String> provenance() throws IOException {
    String text = new String(resource("PROVENANCE.md"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?m)^([0-9a-f]{64})  (\\S+)$").matcher(text);
    Map<String, String> out = new LinkedHashMap<>();
    while (m.find()) {
      out.put(m.group(2), m.group(1));
    }
    return out;
  }

  @Test
  void bundledFilesHaveTheSha256sListedInProvenance() throws IOException {
    Map<String, String> listed = provenance();
    assertThat(listed)
        .containsOnlyKeys(
            "release-rolebased-installer.yaml",
            "release-rolebased-china-installer_china.yaml",
            "release-rolebased-namespaced-crd.yaml",
            "release-rolebased-namespaced-operator.yaml",
            "release-rolebased-namespaced-china-operator_china.yaml",
            "tag-v1.1.0-release-rolebased-installer.yaml");
    for (Map.Entry<String, String> e : listed.entrySet()) {
      assertThat(Sha256.hex(resource(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
    }
    // the upstream values from shared/reference/sagemaker-operator/PROVENANCE.md
    assertThat(listed)
        .containsEntry(
            "release-rolebased-installer.yaml",
            "afbc221306395906b4588da2a5a324a8d0002e131b5ffa25007a2edb5cc62d2f")
        .containsEntry(
            "tag-v1.1.0-release-rolebased-installer.yaml",
            "4451dcba9f730b91ef757d16f4553a5d1b609f70e9c40f8b52e9d5b2298d4a8f");
  }

  @Test
  void singleFileVariantsReportTheSha256OfTheirFile() throws IOException {
    Map<String, String> listed = provenance();
    assertThat(Manifests.bundled().load().sha256())
        .isEqualTo(listed.get("release-rolebased-installer.yaml"));
    assertThat(Manifests.bundled(Variant.CHINA).load().sha256())
        .isEqualTo(listed.get("release-rolebased-china-installer_china.yaml"));
    assertThat(Manifests.bundled(Variant.V1_1_0).load().sha256())
        .isEqualTo(listed.get("tag-v1.1.0-release-rolebased-installer.yaml"));
  }

  @Test
  void namespacedVariantIsTheCrdFileThenTheOperatorFile() throws IOException {
    Manifest manifest = Manifests.bundled(Variant.NAMESPACED).load();
    byte[] crd = resource("release-rolebased-namespaced-crd.yaml");
    byte[] operator = resource("release-rolebased-namespaced-operator.yaml");
    Manifest crds = Manifests.parse("crd", crd);
    Manifest ops = Manifests.parse("operator", operator);

    assertThat(manifest.origin()).isEqualTo("bundled:namespaced");
    assertThat(manifest.objects().subList(0, 8)).isEqualTo(crds.objects());
    assertThat(manifest.objects().subList(8, 18)).isEqualTo(ops.objects());
    assertThat(manifest.objects().subList(0, 8))
        .allMatch(o -> o.kind().equals("CustomResourceDefinition"));
  }

  @Test
  void installerHasTheDocumentedInventory() {
    Manifest manifest = Manifests.bundled().load();
    List<KubeObject> objects = manifest.objects();

    assertThat(manifest.origin()).isEqualTo("bundled:installer");
    assertThat(objects).hasSize(18);
    assertThat(objects.get(0).kind()).isEqualTo("Namespace");
    assertThat(objects.get(0).name()).isEqualTo("sagemaker-k8s-operator-system");
    assertThat(objects.subList(1, 9))
        .extracting(KubeObject::apiVersion, KubeObject::kind)
        .containsOnly(
            org.assertj.core.groups.Tuple.tuple(
                "apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"));
    assertThat(objects.subList(1, 9))
        .extracting(KubeObject::name)
        .containsExactlyElementsOf(
            MASTER_CRDS.stream().map(n -> n + ".sagemaker.aws.amazon.com").toList());
    KubeObject account = objects.get(9);
    assertThat(account.kind()).isEqualTo("ServiceAccount");
    assertThat(account.name()).isEqualTo("sagemaker-k8s-operator-default");
    assertThat(account.namespace()).contains("sagemaker-k8s-operator-system");
    assertThat(account.annotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/DELETE_ME");
    assertThat(objects.subList(10, 17))
        .extracting(KubeObject::kind)
        .containsExactly(
            "Role",
            "ClusterRole",
            "ClusterRole",
            "RoleBinding",
            "ClusterRoleBinding",
            "ClusterRoleBinding",
            "Service");
    KubeObject deployment = objects.get(17);
    assertThat(deployment.kind()).isEqualTo("Deployment");
    assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("gcr.io/kubebuilder/kube-rbac-proxy:v0.4.0");
    assertThat(deployment.at("/spec/template/spec/containers/1/image").asText())
        .isEqualTo(
            "957583890962.dkr.ecr.us-east-1.amazonaws.com/amazon-sagemaker-operator-for-k8s:v1");
    // YAML details that a careless parser gets wrong: quoted numbers stay strings, "" stays ""
    assertThat(objects.get(16).annotations()).containsEntry("prometheus.io/port", "8443");
    assertThat(objects.get(16).at("/metadata/annotations/prometheus.io~1port").isTextual())
        .isTrue();
    assertThat(deployment.at("/spec/template/spec/containers/1/env/0/value").isTextual()).isTrue();
    assertThat(objects.get(1).at("/metadata/creationTimestamp").isNull()).isTrue();
  }

  @Test
  void otherVariantsHaveTheirDocumentedShape() {
    List<KubeObject> china = Manifests.bundled(Variant.CHINA).load().objects();
    assertThat(china).hasSize(18);
    assertThat(china.get(17).at("/spec/template/spec/containers").size()).isEqualTo(1);
    assertThat(china.get(17).at("/spec/template/spec/containers/0/image").asText())
        .startsWith("099223943020.dkr.ecr.cn-northwest-1.amazonaws.com.cn/");

    List<KubeObject> v110 = Manifests.bundled(Variant.V1_1_0).load().objects();
    assertThat(v110).hasSize(16);
    assertThat(v110).filteredOn(o -> o.kind().equals("CustomResourceDefinition")).hasSize(6);
    assertThat(v110.get(15).at("/spec/template/spec/containers/1/image").asText())
        .endsWith(":v1.1");

    String namespacedChina =
        Manifests.bundled(Variant.NAMESPACED_CHINA).load().objects().toString();
    assertThat(Manifests.bundled(Variant.NAMESPACED_CHINA).load().objects()).hasSize(18);
    assertThat(namespacedChina).contains("Namespace PLACEHOLDER-NAMESPACE");
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void everyVariantRoundTripsThroughToYaml(Variant variant) {
    Manifest manifest = Manifests.bundled(variant).load();

    String yaml = Manifests.toYaml(manifest.objects());
    Manifest back = Manifests.parse("rendered", yaml.getBytes(StandardCharsets.UTF_8));

    assertThat(yaml).startsWith("---\n");
    assertThat(back.objects()).isEqualTo(manifest.objects());
  }

  @Test
  void toYamlQuotesStringsThatYaml11WouldReadAsSomethingElse() {
    List<String> tricky =
        List.of(
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "true",
            "null",
            "~",
            "",
            "8443",
            "0x1F",
            "1e3",
            "0755",
            "2021-01-01",
            ".5",
            "-x",
            "a: b",
            "a #b",
            "trail ",
            "colon:",
            "#x",
            "*x",
            "&x",
            "!x",
            "%x",
            "@x",
            "`x",
            "[x]",
            "{x}",
            "x\ny\n",
            "tab\there",
            "é",
            "<<",
            "'x'",
            "\"x\"",
            "/manager",
            "--namespace=PLACEHOLDER-NAMESPACE");
    com.fasterxml.jackson.databind.node.ObjectNode node =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    node.put("apiVersion", "v1").put("kind", "ConfigMap").putObject("metadata").put("name", "t");
    com.fasterxml.jackson.databind.node.ObjectNode data = node.putObject("data");
    for (int i = 0; i < tricky.size(); i++) {
      data.put("k" + i, tricky.get(i));
      if (!tricky.get(i).equals("<<")) { // a "<<" key is refused when read: see ManifestsParseTest
        data.put(tricky.get(i), "key " + i);
      }
    }
    KubeObject object = KubeObject.of(node);

    String yaml = Manifests.toYaml(List.of(object));
    Manifest back = Manifests.parse("t", yaml.getBytes(StandardCharsets.UTF_8));

    assertThat(back.objects()).containsExactly(object);
    assertThat(yaml).contains("k0: \"yes\"", "k9: \"8443\"", "k32: \"<<\"", "\"yes\": key 0");
    assertThat(yaml).contains("k35: /manager");
  }

  @Test
  void toYamlOfNothingIsEmpty() {
    assertThat(Manifests.toYaml(List.of())).isEmpty();
    assertThat(Manifests.parse("empty", new byte[0]).objects()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bundled", "namespaced", "china", "namespaced-china", "v1.1.0"})
  void parseSpecNamesEveryBundledVariant(String word) {
    ManifestSource source = Manifests.parse(word);

    Manifest manifest = source.load();

    Variant variant =
        java.util.Arrays.stream(Variant.values())
            .filter(v -> v.spec().equals(word))
            .findFirst()
            .orElseThrow();
    assertThat(manifest.origin()).isEqualTo(variant.origin());
    assertThat(manifest).isEqualTo(Manifests.bundled(variant).load());
  }

  @Test
  void parseSpecTakesAFilePath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("installer.yaml");
    Files.write(file, resource("release-rolebased-installer.yaml"));

    Manifest manifest = Manifests.parse(file.toString()).load();

    assertThat(manifest.origin()).isEqualTo(file.toString());
    assertThat(manifest.objects()).isEqualTo(Manifests.bundled().load().objects());
  }

  @Test
  void parseSpecTakesAnHttpsUrlWithAPinWithoutDownloading() {
    String pin = "afbc221306395906b4588da2a5a324a8d0002e131b5ffa25007a2edb5cc62d2f";

    ManifestSource source =
        Manifests.parse("https://example.invalid/release/installer.yaml#sha256=" + pin);

    assertThat(source.toString())
        .isEqualTo("https://example.invalid/release/installer.yaml#sha256=" + pin);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://example.com/installer.yaml#sha256="
            + "afbc221306395906b4588da2a5a324a8d0002e131b5ffa25007a2edb5cc62d2f",
        "https://example.com/installer.yaml",
        "https://example.com/installer.yaml#md5=abc",
        "https://example.com/installer.yaml#sha256=abc",
        "https://example.com/installer.yaml#sha256="
            + "AFBC221306395906B4588DA2A5A324A8D0002E131B5FFA25007A2EDB5CC62D2F",
        "ftp://example.com/installer.yaml",
        "https:///installer.yaml#sha256="
            + "afbc221306395906b4588da2a5a324a8d0002e131b5ffa25007a2edb5cc62d2f",
        "https://exa mple.com/installer.yaml#sha256="
            + "afbc221306395906b4588da2a5a324a8d0002e131b5ffa25007a2edb5cc62d2f",
        "file:///tmp/installer.yaml",
        "",
        "   "
      })
  void parseSpecRefusesEverythingElseWithFieldValueRuleAndFix(String spec) {
    assertThatThrownBy(() -> Manifests.parse(spec))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> {
              assertThat(e.field()).isEqualTo("manifest");
              assertThat(e.value()).isEqualTo(spec);
              assertThat(e.getMessage()).contains("Invalid manifest").contains(". Fix: ");
            });
  }

  @Test
  void parseSpecExplainsWhyHttpAndMissingPinsAreRefused() {
    assertThatThrownBy(() -> Manifests.parse("http://example.com/i.yaml"))
        .hasMessageContaining("plain http is refused")
        .hasMessageContaining("https://");
    assertThatThrownBy(() -> Manifests.parse("https://example.com/i.yaml"))
        .hasMessageContaining("needs a sha256 pin")
        .hasMessageContaining("#sha256=");
    assertThatThrownBy(() -> Manifests.parse(null))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void fileThatDoesNotExistNamesThePathAndTheFix(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> Manifests.file(missing).load())
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> {
              assertThat(e.value()).isEqualTo(missing.toString());
              assertThat(e.getMessage())
                  .contains(missing.toString())
                  .contains("does not exist")
                  .contains("Fix: pass the path of an existing");
            });
  }

  @Test
  void aDirectoryIsNotAManifestFile(@TempDir Path dir) {
    assertThatThrownBy(() -> Manifests.file(dir).load())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("is a directory");
  }

  @Test
  void aFileOverEightMibIsRefusedWithoutParsing(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.yaml");
    byte[] bytes = new byte[8 * 1024 * 1024 + 1];
    java.util.Arrays.fill(bytes, (byte) '[');
    Files.write(big, bytes);

    assertThatThrownBy(() -> Manifests.file(big).load())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(big.toString())
        .hasMessageContaining("more than the limit of 8388608 bytes (8 MiB)");
  }
}
