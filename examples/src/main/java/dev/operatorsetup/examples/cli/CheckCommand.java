package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Mixin;

/** The options of verify and doctor, which read an installation and check it. */
abstract class CheckCommand extends SetupCommand {
  @Mixin ClusterOptions cluster = new ClusterOptions();
  @Mixin PolicyOptions policy = new PolicyOptions();
  @Mixin ServiceAccountOptions serviceAccount = new ServiceAccountOptions();
  @Mixin ManifestOptions manifest = new ManifestOptions();
  @Mixin KubernetesOptions kubernetes = new KubernetesOptions();
  @Mixin AwsOptions aws = new AwsOptions();
  @Mixin RunOptions run = new RunOptions();

  CheckCommand(Session session) {
    super(session);
  }

  @Override
  ClusterOptions cluster() {
    return cluster;
  }

  @Override
  RunOptions run() {
    return run;
  }

  @Override
  Inputs inputs() {
    return new Inputs(name(), cluster, run)
        .with(policy)
        .with(serviceAccount)
        .with(manifest)
        .with(kubernetes)
        .with(aws);
  }
}
