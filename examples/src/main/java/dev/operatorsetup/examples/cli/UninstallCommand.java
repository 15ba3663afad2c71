package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code operator-setup uninstall}: removes what install created. */
@Command(
    name = "uninstall",
    description = "Removes what install created, on the cluster and in IAM.")
final class UninstallCommand extends SetupCommand {
  @Mixin ServiceAccountOptions serviceAccount = new ServiceAccountOptions();
  @Mixin ManifestOptions manifest = new ManifestOptions();
  @Mixin KubernetesOptions kubernetes = new KubernetesOptions();
  @Mixin AwsOptions aws = new AwsOptions();
  @Mixin UninstallOptions uninstall = new UninstallOptions();

  UninstallCommand(Session session) {
    super(session, OperatorSetup.Options::uninstall);
  }

  @Override
  Inputs withOwn(Inputs common) {
    return common.with(serviceAccount).with(manifest).with(kubernetes).with(aws).with(uninstall);
  }
}
