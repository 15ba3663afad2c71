package dev.operatorsetup.testkit.ack;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.ChartRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Test only: a {@link ChartRenderer} that calls helm-java directly, for chart directories, until
 * the {@code helm} module's renderer lands. Reads {@code crds/} itself, as the port says.
 */
public final class HelmJavaTestRenderer implements ChartRenderer {
  private static final Pattern VERSION = Pattern.compile("(?m)^version:\\s*\"?([^\"\\s]+)");
  private static final Pattern APP_VERSION = Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)");

  @Override
  public Rendered render(Request request) {
    TemplateCommand template =
        new Helm(request.chart())
            .template()
            .withName(request.releaseName())
            .withNamespace(request.namespace());
    for (Path values : request.valuesFiles()) {
      template = template.withValuesFile(values);
    }
    for (String set : request.sets()) {
      int eq = set.indexOf('=');
      // helm-java splits values at commas itself; Helm's --set escape is \, for a comma.
      template = template.set(set.substring(0, eq), set.substring(eq + 1).replace("\\,", ","));
    }
    String yaml;
    try {
      yaml = template.call();
    } catch (RuntimeException e) {
      throw new InvalidConfigurationException(
          "chart", request.chart().toString(), "Helm refused it: " + e.getMessage(), "fix it");
    }
    List<KubeObject> objects =
        Manifests.parse("helm template " + request.chart(), yaml.getBytes(StandardCharsets.UTF_8))
            .objects()
            .stream()
            .filter(o -> !o.kind().equals("CustomResourceDefinition"))
            .toList();
    String chartYaml = read(request.chart().resolve("Chart.yaml"));
    return new Rendered(
        crds(request.chart()), objects, find(VERSION, chartYaml), find(APP_VERSION, chartYaml));
  }

  private static List<KubeObject> crds(Path chart) {
    Path dir = chart.resolve("crds");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<KubeObject> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        out.addAll(Manifests.parse(file.toString(), Files.readAllBytes(file)).objects());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : "";
  }
}
