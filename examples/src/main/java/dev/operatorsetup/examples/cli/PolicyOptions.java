package dev.operatorsetup.examples.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The managed policies the role should have (install and plan attach them, verify checks them). */
public final class PolicyOptions {
  @Option(names = "--policy-arn", description = "managed policy to attach (repeatable)")
  List<String> policies = new ArrayList<>();
}
