package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code operator-setup plan}: what install would change, reading only. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    version = TopCommand.VERSION,
    sortOptions = false,
    description = "Shows what install would change in AWS and on the cluster; changes nothing.")
final class PlanCommand extends ConvergeCommand {
  PlanCommand(Session session) {
    super(session);
  }

  @Override
  public Integer call() throws IOException {
    return new Execution(session).report(inputs(), OperatorSetup.Options::plan);
  }
}
