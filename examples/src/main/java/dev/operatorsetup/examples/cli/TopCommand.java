package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code operator-setup} itself: its help and version; the work is in the subcommands. */
@Command(
    name = "operator-setup",
    mixinStandardHelpOptions = true,
    version = TopCommand.VERSION,
    synopsisSubcommandLabel = "COMMAND",
    description =
        "Installs the Amazon SageMaker Operator for Kubernetes on an EKS cluster with IRSA.",
    footer = {
      "",
      "Run 'operator-setup COMMAND --help' for the options of a command.",
      "Exit codes: 0 success; 2 invalid input (nothing was changed); 3 refused or not found by"
          + " AWS or Kubernetes; 4 timed out waiting; 1 anything else, and a verify or doctor that"
          + " found a problem."
    })
final class TopCommand implements Runnable {
  static final String VERSION = "operator-setup 0.1.0-SNAPSHOT";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required parameter: 'COMMAND'");
  }
}
