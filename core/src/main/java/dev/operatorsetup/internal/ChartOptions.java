package dev.operatorsetup.internal;

import dev.operatorsetup.Charts;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.model.Rules;
import dev.operatorsetup.targets.ChartValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The chart options of the fluent API, each checked when it is set. */
final class ChartOptions {
  /** A Helm value path: dotted keys, dots inside a key escaped, list indexes. */
  private static final Pattern KEY =
      Pattern.compile(
          "[A-Za-z0-9_-]+(\\[[0-9]+\\])?((\\.|\\\\\\.)[A-Za-z0-9_/-]+(\\[[0-9]+\\])?)*");

  private Charts.Source chart;
  private final List<String> sets = new ArrayList<>();
  private final List<Path> valuesFiles = new ArrayList<>();
  private String installScope;
  private final List<String> watchNamespaces = new ArrayList<>();

  void chart(Path chart) {
    boolean ok =
        chart != null
            && (Files.isDirectory(chart) && Files.isRegularFile(chart.resolve("Chart.yaml"))
                || Files.isRegularFile(chart) && chart.toString().endsWith(".tgz"));
    if (!ok) {
      throw new InvalidConfigurationException(
          "chart",
          String.valueOf(chart),
          "a chart is a directory with a Chart.yaml or a .tgz file",
          "pass the path of an unpacked chart or its .tgz (helm pull), or leave it out for the"
              + " bundled chart");
    }
    this.chart = Charts.local(chart);
  }

  /** A chart spec as {@link Charts#parse} takes it; checked now, read when the target renders. */
  void chart(String spec) {
    boolean local =
        spec != null
            && !spec.equals("bundled")
            && !spec.matches("\\d+\\.\\d+\\.\\d+")
            && !spec.contains("://");
    if (local) {
      chart(Path.of(spec)); // a directory or .tgz must be there now, before anything is read
    } else {
      this.chart = Charts.parse(spec);
    }
  }

  void set(String key, String value) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new InvalidConfigurationException(
          "chart value",
          key + "=" + value,
          "a key is a dotted Helm value path such as image.tag or"
              + " serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn",
          "write KEY=VALUE, e.g. --set resources.limits.memory=512Mi");
    }
    if (value == null) {
      throw new InvalidConfigurationException(
          "chart value", key + "=null", "a value is not null", "pass a value, e.g. \"\"");
    }
    sets.add(key + "=" + value);
  }

  void valuesFile(Path file) {
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new InvalidConfigurationException(
          "values file",
          String.valueOf(file),
          file != null && Files.isDirectory(file) ? "it is a directory" : "the file does not exist",
          "pass the path of a readable YAML values file");
    }
    valuesFiles.add(file);
  }

  void installScope(String scope) {
    if (!"cluster".equals(scope) && !"namespace".equals(scope)) {
      throw new InvalidConfigurationException(
          "install scope",
          scope,
          "the ACK controller's install scope is cluster or namespace",
          "use cluster (watch every namespace) or namespace (watch the release namespace, or"
              + " those given with watchNamespace)");
    }
    this.installScope = scope;
  }

  void watchNamespaces(String... namespaces) {
    if (namespaces == null || namespaces.length == 0) {
      throw new InvalidConfigurationException(
          "watch namespace",
          null,
          "at least one namespace is named",
          "pass one or more namespace names");
    }
    for (String ns : namespaces) {
      Rules.namespace("watch namespace", ns);
    }
    watchNamespaces.addAll(List.of(namespaces));
  }

  ChartValues values() {
    return new ChartValues(
        Optional.ofNullable(chart),
        sets,
        valuesFiles,
        Optional.ofNullable(installScope),
        watchNamespaces);
  }
}
