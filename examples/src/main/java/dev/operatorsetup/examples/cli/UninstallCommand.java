package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code operator-setup uninstall}: removes what install created. */
@Command(
    name = "uninstall",
    mixinStandardHelpOptions = true,
    version = TopCommand.VERSION,
    sortOptions = false,
    description = "Removes what install created, on the cluster and in IAM.")
final class UninstallCommand extends SetupCommand {
  @Mixin ClusterOptions cluster = new ClusterOptions();
  @Mixin ServiceAccountOptions serviceAccount = new ServiceAccountOptions();
  @Mixin ManifestOptions manifest = new ManifestOptions();
  @Mixin KubernetesOptions kubernetes = new KubernetesOptions();
  @Mixin AwsOptions aws = new AwsOptions();
  @Mixin UninstallOptions uninstall = new UninstallOptions();
  @Mixin RunOptions run = new RunOptions();

  UninstallCommand(Session session) {
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
        .with(serviceAccount)
        .with(manifest)
        .with(kubernetes)
        .with(aws)
        .with(uninstall);
  }

  @Override
  public Integer call() throws IOException {
    return new Execution(session).report(inputs(), OperatorSetup.Options::uninstall);
  }
}
