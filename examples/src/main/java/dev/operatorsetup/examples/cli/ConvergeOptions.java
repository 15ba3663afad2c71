package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Option;

/** What plan and install may create or take over. */
public final class ConvergeOptions {
  @Option(names = "--thumbprint", description = "none | auto | 40 hex digits")
  String thumbprint;

  @Option(names = "--adopt-role", description = "take over an existing role of this name")
  boolean adoptRole;

  @Option(names = "--force-conflicts", description = "take over fields other managers own")
  boolean forceConflicts;

  @Option(
      names = "--remove-stale-trust",
      description = "drop the role's trust statements whose IAM OIDC provider no longer exists")
  boolean removeStaleTrust;

  @Option(
      names = "--take-over-helm-release",
      description = "with --target ack: take over a Helm release of the controller")
  boolean takeOverHelmRelease;
}
