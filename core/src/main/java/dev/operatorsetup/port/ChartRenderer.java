package dev.operatorsetup.port;

import dev.operatorsetup.model.KubeObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Renders a Helm chart as {@code helm template} does, by real Helm (the {@code helm} module,
 * helm-java), so that core needs no template engine. Implementations are thread-safe.
 */
public interface ChartRenderer {
  /**
   * Renders the chart's templates for this release, and reads the chart's {@code crds/} files
   * (which {@code helm template} leaves out) as they are.
   *
   * @throws dev.operatorsetup.InvalidConfigurationException for a chart or values Helm refuses,
   *     naming the chart and Helm's message
   */
  Rendered render(Request request);

  /**
   * What to render.
   *
   * @param chart a chart directory or a {@code .tgz} file
   * @param releaseName the release name ({@code helm template NAME})
   * @param namespace the release namespace ({@code --namespace})
   * @param sets values as {@code --set KEY=VALUE} takes them, applied after the values files
   * @param valuesFiles values files as {@code --values FILE} takes them, in order
   */
  record Request(
      Path chart, String releaseName, String namespace, List<String> sets, List<Path> valuesFiles) {
    public Request {
      Objects.requireNonNull(chart, "chart");
      Objects.requireNonNull(releaseName, "releaseName");
      Objects.requireNonNull(namespace, "namespace");
      sets = List.copyOf(sets);
      valuesFiles = List.copyOf(valuesFiles);
    }
  }

  /**
   * What Helm rendered.
   *
   * @param crds the chart's {@code crds/} objects, in file order
   * @param objects the rendered templates' objects, in Helm's install order
   * @param chartVersion the chart's version ({@code Chart.yaml})
   * @param appVersion the chart's appVersion
   */
  record Rendered(
      List<KubeObject> crds, List<KubeObject> objects, String chartVersion, String appVersion) {
    public Rendered {
      crds = List.copyOf(crds);
      objects = List.copyOf(objects);
    }
  }
}
