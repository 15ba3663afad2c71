package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Option;

/** Where the operator runs: its namespace and ServiceAccount. */
public final class ServiceAccountOptions {
  @Option(names = "--namespace", description = "namespace of the operator")
  String namespace;

  @Option(names = "--service-account", description = "the operator's ServiceAccount")
  String serviceAccount;
}
