package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import picocli.CommandLine.Command;

/** {@code operator-setup install}: creates or updates everything, idempotently. */
@Command(
    name = "install",
    description =
        "Creates or updates the IAM OIDC provider, the operator's role and the operator on the"
            + " cluster, and waits until it runs. Running it again changes nothing.")
final class InstallCommand extends ConvergeCommand {
  InstallCommand(Session session) {
    super(session, OperatorSetup.Options::install);
  }
}
