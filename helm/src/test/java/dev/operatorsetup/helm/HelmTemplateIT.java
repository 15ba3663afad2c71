package dev.operatorsetup.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.operatorsetup.Charts;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.ChartRenderer.Rendered;
import dev.operatorsetup.port.ChartRenderer.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The port's output equals the Helm CLI's ({@code $OPERATOR_SETUP_HELM}, built by {@code
 * scripts/helm build}): for each bundled chart and value set, {@code helm template} is run as a
 * process and both outputs are compared object by object.
 *
 * <p>"Equal" means: each output is parsed as multi-document YAML (comments, {@code # Source:}
 * lines, formatting and empty documents do not count) into JSON trees, and the two lists hold the
 * same trees as multisets (document order ignored, key order ignored, scalar types count: {@code
 * "1"} is not {@code 1}). The order is compared too and reported, but not required. The CRDs: the
 * port's {@code crds} equal {@code helm show crds}, in order.
 */
class HelmTemplateIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String RELEASE = "ack";
  private static final String NAMESPACE = "ack-system";
  private static final String ROLE = "arn:aws:iam::012345678910:role/ack-sagemaker";
  private static Path helm;

  @BeforeAll
  static void helmCli() {
    String env = System.getenv("OPERATOR_SETUP_HELM");
    if (env == null || env.isBlank() || !Files.isExecutable(Path.of(env))) {
      String reason =
          "the Helm CLI is not available: OPERATOR_SETUP_HELM is "
              + (env == null ? "unset" : "'" + env + "', not an executable")
              + " (build it with scripts/helm build; scripts/test exports it)";
      System.err.println("[HelmTemplateIT] " + reason);
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(reason + " (CI=true, so this fails instead of skipping)");
      }
      Assumptions.abort(reason + " (set CI=true to make this a failure)");
    }
    helm = Path.of(env);
    timeRenders();
  }

  /** The first render in this JVM loads Helm's native library; the next ones reuse it. */
  private static void timeRenders() {
    Path chart = Charts.bundled().resolve().directory();
    Request request = new Request(chart, RELEASE, NAMESPACE, List.of(), List.of());
    for (int i = 1; i <= 3; i++) {
      long start = System.nanoTime();
      HelmCharts.renderer().render(request);
      System.out.printf(
          "[HelmTemplateIT] render %d of chart 1.9.1: %d ms%n",
          i, (System.nanoTime() - start) / 1_000_000);
    }
  }

  static Stream<Arguments> cases() {
    Path values = HelmJavaChartRendererTest.valuesFile();
    List<Arguments> cases = new ArrayList<>();
    for (Charts.Release release : Charts.Release.values()) {
      cases.add(Arguments.of(release, "defaults", List.of(), List.of()));
      cases.add(
          Arguments.of(
              release,
              "region and role",
              List.of(
                  "aws.region=us-west-2",
                  "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=" + ROLE),
              List.of()));
      cases.add(
          Arguments.of(
              release,
              "namespace scope, two watch namespaces",
              List.of("installScope=namespace", "watchNamespace=team-a\\,team-b"),
              List.of()));
      cases.add(
          Arguments.of(
              release,
              "image override",
              List.of("image.repository=registry.example.com/ack/sagemaker,image.tag=custom-1"),
              List.of()));
      cases.add(
          Arguments.of(
              release,
              "values file and --set",
              List.of(
                  "aws.region=us-east-2", "deletionPolicy=delete", "metrics.service.create=true"),
              List.of(values)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void templatesEqualTheHelmCli(
      Charts.Release release, String name, List<String> sets, List<Path> files) throws Exception {
    Path chart = Charts.bundled(release).resolve().directory();
    Rendered rendered =
        HelmCharts.renderer().render(new Request(chart, RELEASE, NAMESPACE, sets, files));
    List<String> command = new ArrayList<>(List.of(helm.toString(), "template", RELEASE));
    command.addAll(List.of(chart.toString(), "--namespace", NAMESPACE));
    sets.forEach(s -> command.addAll(List.of("--set", s)));
    files.forEach(f -> command.addAll(List.of("--values", f.toString())));
    List<JsonNode> expected = yaml(run(command));
    List<JsonNode> actual = json(rendered.objects());

    assertThat(actual).as("objects").containsExactlyInAnyOrderElementsOf(expected);
    System.out.printf(
        "[HelmTemplateIT] %s %s: %d objects equal to helm template (same order: %s)%n",
        release.version(), name, actual.size(), actual.equals(expected));
  }

  @ParameterizedTest
  @EnumSource(Charts.Release.class)
  void crdsEqualHelmShowCrds(Charts.Release release) throws Exception {
    Path chart = Charts.bundled(release).resolve().directory();
    Rendered rendered =
        HelmCharts.renderer().render(new Request(chart, RELEASE, NAMESPACE, List.of(), List.of()));
    List<JsonNode> expected = yaml(run(List.of(helm.toString(), "show", "crds", chart.toString())));

    assertThat(json(rendered.crds())).as("crds").containsExactlyElementsOf(expected);
    System.out.printf(
        "[HelmTemplateIT] %s: %d CRDs equal to helm show crds, in order%n",
        release.version(), expected.size());
  }

  private static List<JsonNode> json(List<KubeObject> objects) {
    return objects.stream().map(o -> (JsonNode) o.json()).toList();
  }

  private static List<JsonNode> yaml(String text) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNext()) {
        JsonNode document = it.next();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    }
    return documents;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Path err = Files.createTempFile("helm-", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("helm finished").isTrue();
    String stderr = Files.readString(err);
    Files.deleteIfExists(err);
    assertThat(process.exitValue()).as("%s: %s", command, stderr).isZero();
    return out;
  }
}
