package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Option;

/** How the command reaches AWS. */
public final class AwsOptions {
  @Option(names = "--aws-endpoint", description = "one endpoint for STS, EKS and IAM (emulators)")
  String awsEndpoint;
}
