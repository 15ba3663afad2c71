package dev.operatorsetup.examples.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What the command installs, checks, removes or renders: the target and its manifest or chart. */
public final class ManifestOptions {
  @Option(names = "--target", description = "legacy (default) | ack")
  String target;

  @Option(
      names = "--manifest",
      description =
          "bundled | namespaced | china | namespaced-china | v1.1.0 | FILE | https-URL#sha256=HEX")
  String manifest;

  @Option(
      names = "--chart",
      description =
          "with --target ack: bundled | 1.9.1 | 1.6.0 | DIR | FILE.tgz | https-URL#sha256=HEX")
  String chart;

  @Option(names = "--set", description = "with --target ack: a chart value KEY=VALUE (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--values", description = "with --target ack: a values FILE (repeatable)")
  List<String> valuesFiles = new ArrayList<>();

  @Option(names = "--install-scope", description = "with --target ack: cluster | namespace")
  String installScope;

  @Option(
      names = "--watch-namespace",
      description = "with --target ack and --install-scope namespace: a namespace (repeatable)")
  List<String> watchNamespaces = new ArrayList<>();
}
