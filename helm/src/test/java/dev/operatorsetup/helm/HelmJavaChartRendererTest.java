package dev.operatorsetup.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.Charts;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.ChartRenderer;
import dev.operatorsetup.port.ChartRenderer.Rendered;
import dev.operatorsetup.port.ChartRenderer.Request;
import dev.operatorsetup.spi.ChartRendererProvider;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class HelmJavaChartRendererTest {
  private static final String ROLE = "arn:aws:iam::012345678910:role/ack-sagemaker";
  private final ChartRenderer renderer = HelmCharts.renderer();

  static Path chart(Charts.Release release) {
    return Charts.bundled(release).resolve().directory();
  }

  static Path valuesFile() {
    try {
      return Path.of(HelmJavaChartRendererTest.class.getResource("/values-test.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Rendered render(Charts.Release release, List<String> sets, List<Path> files) {
    return renderer.render(new Request(chart(release), "ack", "ack-system", sets, files));
  }

  private static KubeObject one(Rendered rendered, String kind) {
    List<KubeObject> found =
        rendered.objects().stream().filter(o -> o.kind().equals(kind)).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  @Test
  void rendersTheBundledChartsWithRegionAndRole() {
    for (Charts.Release release : Charts.Release.values()) {
      long start = System.nanoTime();
      Rendered rendered =
          render(
              release,
              List.of(
                  "aws.region=us-west-2",
                  "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=" + ROLE),
              List.of());
      System.out.printf(
          "render %s: %d ms, %d objects, %d crds%n",
          release.version(),
          (System.nanoTime() - start) / 1_000_000,
          rendered.objects().size(),
          rendered.crds().size());
      assertThat(rendered.chartVersion()).isEqualTo(release.version());
      assertThat(rendered.appVersion()).isEqualTo(release.version());
      assertThat(rendered.crds()).allMatch(o -> o.kind().equals("CustomResourceDefinition"));
      assertThat(rendered.crds()).hasSizeGreaterThanOrEqualTo(27);
      assertThat(rendered.objects()).noneMatch(o -> o.kind().equals("CustomResourceDefinition"));
      KubeObject account = one(rendered, "ServiceAccount");
      assertThat(account.name()).isEqualTo("ack-sagemaker-controller");
      assertThat(account.namespace()).contains("ack-system");
      assertThat(account.annotations()).containsEntry("eks.amazonaws.com/role-arn", ROLE);
      KubeObject deployment = one(rendered, "Deployment");
      assertThat(deployment.json().toString()).contains("\"AWS_REGION\"").contains("us-west-2");
      assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
          .isEqualTo(
              "public.ecr.aws/aws-controllers-k8s/sagemaker-controller:" + release.version());
    }
  }

  @Test
  void namespaceScopeWatchesTheGivenNamespaces() {
    Rendered rendered =
        render(
            Charts.Release.V1_9_1,
            List.of("installScope=namespace", "watchNamespace=team-a\\,team-b"),
            List.of());
    assertThat(rendered.objects())
        .filteredOn(o -> o.kind().equals("RoleBinding"))
        .extracting(o -> o.namespace().orElse(""))
        .contains("team-a", "team-b");
    assertThat(one(rendered, "Deployment").json().toString()).contains("team-a,team-b");
  }

  @Test
  void imageOverrideAndValuesFile() {
    Rendered rendered =
        render(
            Charts.Release.V1_6_0,
            List.of("image.repository=registry.example.com/ack/sagemaker", "image.tag=1.6.0-p1"),
            List.of(valuesFile()));
    KubeObject deployment = one(rendered, "Deployment");
    assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("registry.example.com/ack/sagemaker:1.6.0-p1");
    assertThat(deployment.json().toString()).contains("eu-west-1").contains("256Mi");
    assertThat(one(rendered, "ServiceAccount").annotations())
        .containsEntry(
            "eks.amazonaws.com/role-arn", "arn:aws:iam::012345678910:role/from-values-file");
  }

  @Test
  void helmErrorsBecomeInvalidConfiguration() {
    assertThatThrownBy(
            () -> render(Charts.Release.V1_9_1, List.of("installScope=galaxy"), List.of()))
        .isInstanceOf(InvalidConfigurationException.class)
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("values"))
        .hasMessageContaining("installScope");
    assertThatThrownBy(() -> render(Charts.Release.V1_9_1, List.of("=x"), List.of()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("KEY=VALUE");
    assertThatThrownBy(
            () ->
                renderer.render(
                    new Request(
                        Path.of("no-such-chart"), "ack", "ack-system", List.of(), List.of())))
        .isInstanceOf(InvalidConfigurationException.class)
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("chart"));
  }

  @Test
  void foundThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(ChartRendererProvider.class).findFirst())
        .hasValueSatisfying(p -> assertThat(p.create()).isSameAs(renderer));
  }
}
