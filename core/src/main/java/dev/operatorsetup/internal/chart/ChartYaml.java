package dev.operatorsetup.internal.chart;

import dev.operatorsetup.InvalidConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a chart's {@code Chart.yaml}: name, version and appVersion. Every plain scalar stays text
 * (as Helm reads these fields), so {@code version: 1.10} is {@code 1.10}, not a number.
 */
public final class ChartYaml {
  /** The largest Chart.yaml accepted. */
  static final int MAX_BYTES = 1024 * 1024;

  private ChartYaml() {}

  /** What Chart.yaml says. */
  public record Metadata(String name, String version, String appVersion) {}

  /**
   * Reads {@code dir/Chart.yaml}.
   *
   * @throws InvalidConfigurationException with field {@code chart} if it is missing, too large, not
   *     YAML or has no name or version
   */
  public static Metadata read(String origin, Path dir) {
    Path file = dir.resolve("Chart.yaml");
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new InvalidConfigurationException(
          "chart",
          origin,
          "it has no readable Chart.yaml at its top (" + e.getMessage() + ")",
          "pass a Helm chart: a directory or .tgz with Chart.yaml, templates/ and values.yaml");
    }
    if (bytes.length > MAX_BYTES) {
      throw invalid(origin, "its Chart.yaml is larger than " + MAX_BYTES + " bytes");
    }
    Object document;
    try {
      document = yaml().load(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw invalid(origin, "its Chart.yaml is not valid YAML: " + e.getMessage());
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw invalid(origin, "its Chart.yaml is not a mapping");
    }
    String name = text(map.get("name"));
    String version = text(map.get("version"));
    if (name == null || version == null) {
      throw invalid(origin, "its Chart.yaml has no name or no version");
    }
    return new Metadata(name, version, text(map.get("appVersion")));
  }

  private static String text(Object value) {
    return value instanceof String s && !s.isBlank() ? s : null;
  }

  private static InvalidConfigurationException invalid(String origin, String rule) {
    return new InvalidConfigurationException(
        "chart", origin, rule, "pass a valid Helm chart (helm lint shows what is wrong)");
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_BYTES);
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(64);
    options.setAllowDuplicateKeys(false);
    DumperOptions dumper = new DumperOptions();
    Resolver textOnly =
        new Resolver() {
          @Override
          protected void addImplicitResolvers() {
            // none: plain scalars stay strings
          }
        };
    return new Yaml(
        new SafeConstructor(options), new Representer(dumper), dumper, options, textOnly);
  }
}
