package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import picocli.CommandLine.Command;

/** {@code operator-setup doctor}: diagnoses an installation made by anyone. */
@Command(
    name = "doctor",
    description =
        "Diagnoses an installation made by anyone, link by link, and names the fix for each"
            + " problem; exit 1 if it finds one.")
final class DoctorCommand extends CheckCommand {
  DoctorCommand(Session session) {
    super(session, OperatorSetup.Options::diagnose);
  }
}
