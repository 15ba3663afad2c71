package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Option;

/** The installer manifest the command installs, checks, removes or renders. */
public final class ManifestOptions {
  @Option(
      names = "--manifest",
      description =
          "bundled | namespaced | china | namespaced-china | v1.1.0 | FILE | https-URL#sha256=HEX")
  String manifest;
}
