package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Option;

/** What uninstall leaves or forces. */
public final class UninstallOptions {
  @Option(names = "--keep-crds", description = "keep the CRDs")
  boolean keepCrds;

  @Option(names = "--remove-finalizers", description = "drop stuck finalizers")
  boolean removeFinalizers;

  @Option(
      names = "--retain-aws-resources",
      description =
          "with --target ack: mark each custom resource to keep its AWS resource, then delete it")
  boolean retainAwsResources;
}
