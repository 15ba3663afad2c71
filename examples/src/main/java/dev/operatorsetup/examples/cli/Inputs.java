package dev.operatorsetup.examples.cli;

/**
 * What one command was given: the shared options, and the option groups the command declares.
 * Groups a command does not declare stay empty (no values, switches off).
 */
final class Inputs {
  final String command;
  final ClusterOptions cluster;
  final RunOptions run;
  PolicyOptions policy = new PolicyOptions();
  ServiceAccountOptions serviceAccount = new ServiceAccountOptions();
  ManifestOptions manifest = new ManifestOptions();
  ImageOptions image = new ImageOptions();
  ConvergeOptions converge = new ConvergeOptions();
  AwsOptions aws = new AwsOptions();
  KubernetesOptions kubernetes = new KubernetesOptions();
  ManifestOutOptions manifestOut = new ManifestOutOptions();
  UninstallOptions uninstall = new UninstallOptions();

  Inputs(String command, ClusterOptions cluster, RunOptions run) {
    this.command = command;
    this.cluster = cluster;
    this.run = run;
  }

  Inputs with(PolicyOptions options) {
    policy = options;
    return this;
  }

  Inputs with(ServiceAccountOptions options) {
    serviceAccount = options;
    return this;
  }

  Inputs with(ManifestOptions options) {
    manifest = options;
    return this;
  }

  Inputs with(ImageOptions options) {
    image = options;
    return this;
  }

  Inputs with(ConvergeOptions options) {
    converge = options;
    return this;
  }

  Inputs with(AwsOptions options) {
    aws = options;
    return this;
  }

  Inputs with(KubernetesOptions options) {
    kubernetes = options;
    return this;
  }

  Inputs with(ManifestOutOptions options) {
    manifestOut = options;
    return this;
  }

  Inputs with(UninstallOptions options) {
    uninstall = options;
    return this;
  }
}
