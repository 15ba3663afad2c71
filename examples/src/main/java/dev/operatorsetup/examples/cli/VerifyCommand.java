package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code operator-setup verify}: checks what install made. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    version = TopCommand.VERSION,
    sortOptions = false,
    description = "Checks that what install made is in place and works; exit 1 if a check fails.")
final class VerifyCommand extends CheckCommand {
  VerifyCommand(Session session) {
    super(session);
  }

  @Override
  public Integer call() throws IOException {
    return new Execution(session).report(inputs(), OperatorSetup.Options::verify);
  }
}
