package dev.operatorsetup;

import dev.operatorsetup.internal.chart.ChartSources;
import dev.operatorsetup.internal.manifest.HttpsManifestSource;
import dev.operatorsetup.model.Rules;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Helm charts of the ACK SageMaker controller for a {@link dev.operatorsetup.port.ChartRenderer}:
 * the releases bundled in this library, a chart directory, a {@code .tgz} file, or an https URL
 * pinned by sha256. Each {@link Source} resolves to a local chart directory.
 *
 * <p>Bundled charts are unchanged copies of the upstream {@code helm/} folder of
 * aws-controllers-k8s/sagemaker-controller (see {@code dev/operatorsetup/charts/PROVENANCE.md} in
 * the jar). They are extracted once per process into a private temporary directory, each file
 * checked against its sha256.
 */
public final class Charts {
  private static final String SPEC_FIX =
      "pass bundled, 1.9.1, 1.6.0, a chart directory, a chart .tgz file, or"
          + " https://host/path/chart.tgz#sha256=<64 lower-case hex digits>";
  private static final String PIN_FIX =
      "append #sha256=<64 lower-case hex digits> (compute it with 'sha256sum' after reviewing the"
          + " chart)";

  private Charts() {}

  /** The bundled releases of the ACK SageMaker controller's chart ({@code sagemaker-chart}). */
  public enum Release {
    /** Release 1.9.1 (the default, {@code bundled}). */
    V1_9_1("1.9.1", "b54926d35daf838be7f64dbd067b9f97dc4afb0fe7780a39038488212c069d2d"),
    /** Release 1.6.0 (27 CRDs; CRDs and templates differ from 1.9.1). */
    V1_6_0("1.6.0", "1a496c34233f2317f86ad95eba830865f1b21536bd741e73f029575ae2e159a6");

    private final String version;
    private final String listingSha256;

    Release(String version, String listingSha256) {
      this.version = version;
      this.listingSha256 = listingSha256;
    }

    /** Returns the chart version, which is also the word that selects it in {@link #parse}. */
    public String version() {
      return version;
    }

    /** Returns the origin of this chart, e.g. {@code bundled:sagemaker-chart-1.9.1}. */
    public String origin() {
      return "bundled:sagemaker-chart-" + version;
    }
  }

  /** A chart that is read, downloaded or extracted when resolved. */
  @FunctionalInterface
  public interface Source {
    /**
     * Returns the chart as a local directory.
     *
     * @throws InvalidConfigurationException with field {@code chart} if it is missing, not a chart,
     *     an unsafe archive, or a download that fails or differs from its pin
     */
    Chart resolve();
  }

  /**
   * A chart on the local disk.
   *
   * @param origin where it came from, e.g. {@code bundled:sagemaker-chart-1.9.1} or a path
   * @param directory the chart's directory (with Chart.yaml); for a .tgz or a download, a private
   *     temporary directory deleted when the JVM exits
   * @param name the chart's name (Chart.yaml)
   * @param version the chart's version (Chart.yaml)
   * @param appVersion the chart's appVersion, or {@code null}
   */
  public record Chart(
      String origin, Path directory, String name, String version, String appVersion) {
    public Chart {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
    }
  }

  /** Returns the default bundled chart, {@link Release#V1_9_1}. */
  public static Source bundled() {
    return bundled(Release.V1_9_1);
  }

  /**
   * Returns a bundled chart. Resolving it throws {@link IllegalStateException} if a bundled file
   * differs from its sha256, which means the jar is broken.
   */
  public static Source bundled(Release release) {
    Objects.requireNonNull(release, "release");
    return () ->
        chart(
            ChartSources.bundled(
                release.origin(), "sagemaker-chart-" + release.version, release.listingSha256));
  }

  /** Returns a chart directory, or a {@code .tgz} file extracted safely when resolved. */
  public static Source local(Path path) {
    Objects.requireNonNull(path, "path");
    return () -> chart(ChartSources.local(path));
  }

  /**
   * Returns a chart archive downloaded over https when resolved (once per process), refused unless
   * its bytes have the given sha256; at most 16 MiB, TLS verified, redirects to http refused.
   *
   * @throws InvalidConfigurationException now if the URL is not https or the pin is malformed
   */
  public static Source url(URI uri, String sha256) {
    URI checked = HttpsManifestSource.checkUri(uri, "chart");
    HttpsManifestSource.checkPin(sha256, checked.toString(), "chart");
    return () -> chart(ChartSources.url(checked, sha256));
  }

  /**
   * Returns the chart a command-line value names: {@code bundled} (= {@code 1.9.1}), {@code 1.9.1},
   * {@code 1.6.0}, a chart directory, a {@code .tgz} file, or {@code https://...#sha256=<hex>}.
   * Nothing is read until the source is resolved.
   *
   * @throws InvalidConfigurationException with field {@code chart} for anything else, e.g. an
   *     {@code http://} URL or an https URL without {@code #sha256=}
   */
  public static Source parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new InvalidConfigurationException("chart", spec, "a chart is required", SPEC_FIX);
    }
    if (spec.equals("bundled")) {
      return bundled();
    }
    for (Release release : Release.values()) {
      if (release.version.equals(spec)) {
        return bundled(release);
      }
    }
    int colon = spec.indexOf("://");
    if (colon > 0) {
      return parseUrl(spec, spec.substring(0, colon).toLowerCase(Locale.ROOT));
    }
    if (spec.regionMatches(true, 0, "file:", 0, 5)) {
      throw new InvalidConfigurationException(
          "chart", spec, "file: URLs are not accepted", "pass the plain path of the chart");
    }
    try {
      return local(Path.of(spec));
    } catch (InvalidPathException e) {
      throw new InvalidConfigurationException(
          "chart", spec, "it is not a valid path: " + e.getReason(), SPEC_FIX);
    }
  }

  private static Source parseUrl(String spec, String scheme) {
    if (scheme.equals("http")) {
      throw new InvalidConfigurationException(
          "chart",
          spec,
          "plain http is refused: anyone on the network path could change the chart",
          "use the https:// URL of the same file, with #sha256=<64 lower-case hex digits>");
    }
    if (!scheme.equals("https")) {
      throw new InvalidConfigurationException(
          "chart", spec, "only https:// URLs are accepted", SPEC_FIX);
    }
    int hash = spec.indexOf('#');
    String fragment = hash < 0 ? "" : spec.substring(hash + 1);
    if (!fragment.startsWith("sha256=")) {
      throw new InvalidConfigurationException(
          "chart",
          spec,
          "an https URL needs a sha256 pin, so that a changed chart is refused",
          PIN_FIX);
    }
    String pin = fragment.substring("sha256=".length());
    if (!Rules.SHA256.matcher(pin).matches()) {
      throw new InvalidConfigurationException(
          "chart",
          spec,
          "the sha256 pin must be exactly 64 lower-case hex digits (0-9, a-f)",
          PIN_FIX);
    }
    URI uri;
    try {
      uri = new URI(spec.substring(0, hash));
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationException(
          "chart", spec, "it is not a valid URL: " + e.getReason(), SPEC_FIX);
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new InvalidConfigurationException(
          "chart",
          uri.getRawUserInfo() != null ? uri.getHost() : spec,
          "an https URL needs a host name and no user:password@",
          SPEC_FIX);
    }
    return url(uri, pin);
  }

  private static Chart chart(ChartSources.Local local) {
    return new Chart(
        local.origin(),
        local.directory(),
        local.metadata().name(),
        local.metadata().version(),
        local.metadata().appVersion());
  }
}
