package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code operator-setup doctor}: diagnoses an installation made by anyone. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    version = TopCommand.VERSION,
    sortOptions = false,
    description =
        "Diagnoses an installation made by anyone, link by link, and names the fix for each"
            + " problem; exit 1 if it finds one.")
final class DoctorCommand extends CheckCommand {
  DoctorCommand(Session session) {
    super(session);
  }

  @Override
  public Integer call() throws IOException {
    return new Execution(session).report(inputs(), OperatorSetup.Options::diagnose);
  }
}
