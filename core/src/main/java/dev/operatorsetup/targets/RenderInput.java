package dev.operatorsetup.targets;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.port.ChartRenderer;
import java.util.Optional;

/**
 * What a target renders from: the loaded installer manifest (manifest-based targets), the patch
 * (role ARN, ServiceAccount, image overrides), whether v1beta1 CRDs must be converted, the
 * cluster's region, and for chart-based targets the chart values and the renderer.
 *
 * @param manifest the loaded manifest; empty for chart-based targets
 * @param renderer the chart renderer, if one was given or found on the class path
 */
public record RenderInput(
    Optional<Manifest> manifest,
    ManifestPatch patch,
    boolean convertCrds,
    String region,
    ChartValues chart,
    Optional<ChartRenderer> renderer) {

  /** The manifest, or a configuration error naming the target that needs one. */
  public Manifest requireManifest(OperatorTarget target) {
    return manifest.orElseThrow(
        () ->
            new InvalidConfigurationException(
                "manifest",
                null,
                "target " + target.id() + " renders from an installer manifest",
                "pass withManifest(...)"));
  }

  /** The renderer, or a configuration error saying how to get one. */
  public ChartRenderer requireRenderer(OperatorTarget target) {
    return renderer.orElseThrow(
        () ->
            new InvalidConfigurationException(
                "ChartRenderer",
                null,
                "target "
                    + target.id()
                    + " renders a Helm chart and no renderer is on the class"
                    + " path",
                "add the dev.operatorsetup:operator-setup-helm dependency, or call"
                    + " withChartRenderer(...)"));
  }
}
