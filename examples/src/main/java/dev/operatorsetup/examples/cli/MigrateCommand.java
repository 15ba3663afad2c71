package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code operator-setup migrate}: from the legacy operator to the ACK SageMaker controller, without
 * a write to SageMaker. Takes the ACK side's options; finds the legacy installation on the cluster.
 */
@Command(
    name = "migrate",
    description =
        "Moves the cluster from the legacy SageMaker operator to the ACK SageMaker controller"
            + " without a write to SageMaker: installs ACK (--role is the ACK controller's role),"
            + " creates an ACK object adopting each SageMaker resource a legacy custom resource"
            + " stands for, stops the legacy controller, deletes the legacy objects and uninstalls"
            + " the legacy operator. Refuses (exit 3), before any write, when a legacy object"
            + " cannot move. Running it again changes nothing.")
final class MigrateCommand extends SetupCommand {
  /** The option only migrate has. */
  static final class MigrateOptions {
    @Option(
        names = "--dry-run",
        description = "print every change migrate would make; write nothing")
    boolean dryRun;
  }

  @Mixin PolicyOptions policy = new PolicyOptions();
  @Mixin ServiceAccountOptions serviceAccount = new ServiceAccountOptions();
  @Mixin ManifestOptions manifest = ackSide();
  @Mixin ImageOptions image = new ImageOptions();
  @Mixin KubernetesOptions kubernetes = new KubernetesOptions();
  @Mixin AwsOptions aws = new AwsOptions();
  @Mixin MigrateOptions migrate;

  MigrateCommand(Session session) {
    this(session, new MigrateOptions());
  }

  private MigrateCommand(Session session, MigrateOptions options) {
    super(
        session,
        (execution, in) ->
            execution.report(in, o -> options.dryRun ? o.planMigration() : o.migrate()));
    this.migrate = options;
  }

  /** The manifest options with the ACK target, the side migrate installs. */
  private static ManifestOptions ackSide() {
    ManifestOptions m = new ManifestOptions();
    m.target = "ack";
    return m;
  }

  @Override
  Inputs withOwn(Inputs common) {
    return common
        .with(policy)
        .with(serviceAccount)
        .with(manifest)
        .with(image)
        .with(kubernetes)
        .with(aws);
  }
}
