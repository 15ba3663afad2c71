package dev.operatorsetup.examples.cli;

import picocli.CommandLine.Option;

/** How every command runs and reports: its time limit, output format and stack traces. */
public final class RunOptions {
  @Option(names = "--timeout", description = "e.g. 5m (default 10m)")
  String timeout;

  @Option(names = "--output", description = "text or json (default text)")
  String output = "text";

  @Option(names = "--debug", description = "print stack traces")
  boolean debug;

  boolean json() {
    return "json".equals(output);
  }
}
