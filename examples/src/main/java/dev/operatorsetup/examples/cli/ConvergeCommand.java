package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.InstallReport;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/** The options of plan and install, which compute (and install applies) the same changes. */
abstract class ConvergeCommand extends SetupCommand {
  @Mixin PolicyOptions policy = new PolicyOptions();
  @Mixin ServiceAccountOptions serviceAccount = new ServiceAccountOptions();
  @Mixin ManifestOptions manifest = new ManifestOptions();
  @Mixin ImageOptions image = new ImageOptions();
  @Mixin ConvergeOptions converge = new ConvergeOptions();
  @Mixin KubernetesOptions kubernetes = new KubernetesOptions();
  @Mixin AwsOptions aws = new AwsOptions();
  @Mixin ManifestOutOptions manifestOut = new ManifestOutOptions();

  ConvergeCommand(Session session, Function<OperatorSetup.Options, InstallReport> operation) {
    super(session, operation);
  }

  @Override
  Inputs withOwn(Inputs common) {
    return common
        .with(policy)
        .with(serviceAccount)
        .with(manifest)
        .with(image)
        .with(converge)
        .with(kubernetes)
        .with(aws)
        .with(manifestOut);
  }
}
