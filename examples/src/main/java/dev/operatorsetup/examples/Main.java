package dev.operatorsetup.examples;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.examples.cli.Cli;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * The {@code operator-setup} command: plan, install, verify, uninstall, render or diagnose the
 * SageMaker operator on an EKS cluster. The command line itself is in {@link
 * dev.operatorsetup.examples.cli}: one picocli subcommand per command, so that {@code
 * operator-setup install --help} shows what install takes.
 *
 * <p>Exit codes: 0 success; 2 invalid input (nothing was changed); 3 refused or not found by AWS or
 * Kubernetes; 4 timed out waiting; 1 anything else, and a verify or doctor that found a problem.
 */
public final class Main {
  /**
   * The slf4j-simple level: progress lines are the command's output, log lines only with --debug.
   */
  static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  private Main() {}

  public static void main(String[] args) {
    if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
      System.setProperty(
          LOG_LEVEL_PROPERTY, Arrays.asList(args).contains("--debug") ? "debug" : "warn");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, UnaryOperator.identity());
  }

  /**
   * Runs the command with its options changed by {@code customize} just before the operation runs
   * (after every input was checked); tests use it to put in-memory fakes in place of AWS and
   * Kubernetes.
   */
  static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      UnaryOperator<OperatorSetup.Options> customize) {
    return Cli.run(args, out, err, customize);
  }
}
