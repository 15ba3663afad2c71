package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import picocli.CommandLine.Command;

/** {@code operator-setup verify}: checks what install made. */
@Command(
    name = "verify",
    description = "Checks that what install made is in place and works; exit 1 if a check fails.")
final class VerifyCommand extends CheckCommand {
  VerifyCommand(Session session) {
    super(session, OperatorSetup.Options::verify);
  }
}
