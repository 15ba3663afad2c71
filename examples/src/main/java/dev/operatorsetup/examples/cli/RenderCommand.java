package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code operator-setup render}: the patched manifest, without touching the cluster. */
@Command(
    name = "render",
    description =
        "Prints the manifest as install would apply it (or writes it to --manifest-out), for"
            + " kubectl or GitOps. Reads the account from AWS; never connects to the cluster.")
final class RenderCommand extends SetupCommand {
  @Mixin ServiceAccountOptions serviceAccount = new ServiceAccountOptions();
  @Mixin ManifestOptions manifest = new ManifestOptions();
  @Mixin ImageOptions image = new ImageOptions();
  @Mixin AwsOptions aws = new AwsOptions();
  @Mixin ManifestOutOptions manifestOut = new ManifestOutOptions();

  RenderCommand(Session session) {
    super(session, Execution::render);
  }

  @Override
  Inputs withOwn(Inputs common) {
    return common.with(serviceAccount).with(manifest).with(image).with(aws).with(manifestOut);
  }
}
