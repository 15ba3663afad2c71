package dev.operatorsetup.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the command reaches the cluster's Kubernetes API, or that it should not. */
public final class KubernetesOptions {
  @Option(names = "--kubeconfig", description = "kubeconfig file")
  Path kubeconfig;

  @Option(names = "--context", description = "kubeconfig context")
  String context;

  @Option(names = "--aws-only", description = "do the AWS steps only, never connect to Kubernetes")
  boolean awsOnly;

  @Option(
      names = "--insecure-skip-tls-verify",
      description = "allow a kubeconfig context that turns TLS verification off (logged as WARN)")
  boolean insecureSkipTlsVerify;
}
