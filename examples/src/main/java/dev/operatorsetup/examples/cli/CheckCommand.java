package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.InstallReport;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/** The options of verify and doctor, which read an installation and check it. */
abstract class CheckCommand extends SetupCommand {
  @Mixin PolicyOptions policy = new PolicyOptions();
  @Mixin ServiceAccountOptions serviceAccount = new ServiceAccountOptions();
  @Mixin ManifestOptions manifest = new ManifestOptions();
  @Mixin KubernetesOptions kubernetes = new KubernetesOptions();
  @Mixin AwsOptions aws = new AwsOptions();

  CheckCommand(Session session, Function<OperatorSetup.Options, InstallReport> operation) {
    super(session, operation);
  }

  @Override
  Inputs withOwn(Inputs common) {
    return common.with(policy).with(serviceAccount).with(manifest).with(kubernetes).with(aws);
  }
}
