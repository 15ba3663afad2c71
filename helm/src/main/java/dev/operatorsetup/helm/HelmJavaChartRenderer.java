package dev.operatorsetup.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.operatorsetup.Charts;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders with helm-java's {@code template} (Helm's Go code in a native library) and reads {@code
 * crds/} itself: every {@code .yaml}, {@code .yml} or {@code .json} file under it, in path order,
 * as Helm's chart loader finds them ({@code .helmignore} is not applied). A {@code .tgz} chart is
 * extracted safely first ({@link Charts#local(Path)}).
 */
final class HelmJavaChartRenderer implements ChartRenderer {
  static final HelmJavaChartRenderer INSTANCE = new HelmJavaChartRenderer();

  private static final Logger LOG = LoggerFactory.getLogger(Loggers.ROOT + ".helm");

  /** Helm keeps process-wide state (settings, registry clients); one render at a time. */
  private final ReentrantLock lock = new ReentrantLock();

  private HelmJavaChartRenderer() {}

  @Override
  public Rendered render(Request request) {
    List<Map.Entry<String, String>> sets = new ArrayList<>();
    for (String set : request.sets()) {
      sets.addAll(SetValues.parse(set));
    }
    for (Path file : request.valuesFiles()) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new InvalidConfigurationException(
            "values",
            file.toString(),
            "the values file does not exist or cannot be read",
            "pass the path of a readable YAML values file");
      }
    }
    Charts.Chart chart = Charts.local(request.chart()).resolve();
    long start = System.nanoTime();
    String yaml = template(chart, request, sets);
    List<KubeObject> objects =
        yaml.isBlank()
            ? List.of()
            : Manifests.parse(
                    "helm template " + request.releaseName() + " " + chart.origin(),
                    yaml.getBytes(StandardCharsets.UTF_8))
                .objects();
    List<KubeObject> crds = crds(chart);
    LOG.debug(
        "chart rendered chart={} version={} objects={} crds={} ms={}",
        chart.origin(),
        chart.version(),
        objects.size(),
        crds.size(),
        (System.nanoTime() - start) / 1_000_000);
    return new Rendered(crds, objects, chart.version(), chart.appVersion());
  }

  private String template(
      Charts.Chart chart, Request request, List<Map.Entry<String, String>> sets) {
    TemplateCommand command =
        new Helm(chart.directory())
            .template()
            .withName(request.releaseName())
            .withNamespace(request.namespace());
    for (Path file : request.valuesFiles()) {
      command = command.withValuesFile(file.toAbsolutePath());
    }
    for (Map.Entry<String, String> set : sets) {
      command = command.set(set.getKey(), set.getValue());
    }
    lock.lock();
    try {
      return command.call();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw helmError(chart, request, e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  /** Maps Helm's message to the input it is about: the values, or else the chart. */
  static InvalidConfigurationException helmError(
      Charts.Chart chart, Request request, String message) {
    String text = message == null ? "(no message)" : message.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    boolean values =
        lower.contains("values")
            || lower.contains("schema")
            || lower.contains("key ")
            || lower.contains("parse error");
    if (values) {
      return new InvalidConfigurationException(
          "values",
          String.join(" ", request.sets())
              + (request.valuesFiles().isEmpty() ? "" : " " + request.valuesFiles()),
          "Helm refused the values for chart " + chart.name() + " " + chart.version() + ": " + text,
          "fix the --set values or values files (see the chart's values.yaml and"
              + " values.schema.json)");
    }
    return new InvalidConfigurationException(
        "chart",
        chart.origin(),
        "Helm could not render chart " + chart.name() + " " + chart.version() + ": " + text,
        "check the chart with 'helm lint', or pass another chart");
  }

  /** Reads the chart's crds/ files as they are, in path order. */
  static List<KubeObject> crds(Charts.Chart chart) {
    Path dir = chart.directory().resolve("crds");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(HelmJavaChartRenderer::isManifest)
              .sorted(
                  (a, b) -> dir.relativize(a).toString().compareTo(dir.relativize(b).toString()))
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Reading " + dir + " failed", e);
    }
    List<KubeObject> crds = new ArrayList<>();
    for (Path file : files) {
      String origin = chart.origin() + ":crds/" + dir.relativize(file);
      try {
        crds.addAll(Manifests.parse(origin, Files.readAllBytes(file)).objects());
      } catch (IOException e) {
        throw new UncheckedIOException("Reading " + file + " failed", e);
      }
    }
    return crds;
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }
}
