package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import picocli.CommandLine.Command;

/** {@code operator-setup plan}: what install would change, reading only. */
@Command(
    name = "plan",
    description = "Shows what install would change in AWS and on the cluster; changes nothing.")
final class PlanCommand extends ConvergeCommand {
  PlanCommand(Session session) {
    super(session, OperatorSetup.Options::plan);
  }
}
