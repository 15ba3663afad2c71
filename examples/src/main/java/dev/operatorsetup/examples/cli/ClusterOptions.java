package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Option;

/** The options every command takes: which cluster, in which region, with which IAM role. */
public final class ClusterOptions {
  @Option(names = "--cluster", required = true, description = "EKS cluster name")
  String cluster;

  @Option(names = "--region", required = true, description = "the cluster's region")
  String region;

  @Option(names = "--role", required = true, description = "IAM role for the operator")
  String role;
}
