package dev.operatorsetup.examples.cli;

/**
 * What an error report needs to know about the run: the command (null if none was recognised), the
 * cluster and region as given, whether to print JSON, and whether to print the stack trace.
 */
record FailureContext(String command, String cluster, String region, boolean json, boolean debug) {

  /** The context read straight from the arguments, for errors before any command parsed them. */
  static FailureContext fromArguments(String command, String[] args) {
    return new FailureContext(
        command,
        Arguments.valueOf(args, "--cluster"),
        Arguments.valueOf(args, "--region"),
        Arguments.requestsJson(args),
        java.util.Arrays.asList(args).contains("--debug"));
  }
}
