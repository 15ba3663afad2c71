package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code operator-setup install}: creates or updates everything, idempotently. */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    version = TopCommand.VERSION,
    sortOptions = false,
    description =
        "Creates or updates the IAM OIDC provider, the operator's role and the operator on the"
            + " cluster, and waits until it runs. Running it again changes nothing.")
final class InstallCommand extends ConvergeCommand {
  InstallCommand(Session session) {
    super(session);
  }

  @Override
  public Integer call() throws IOException {
    return new Execution(session).report(inputs(), OperatorSetup.Options::install);
  }
}
