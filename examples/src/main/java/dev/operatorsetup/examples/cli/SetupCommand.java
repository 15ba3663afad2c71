package dev.operatorsetup.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** A subcommand: declares its options, gathers them into {@link Inputs}, and runs. */
abstract class SetupCommand implements Callable<Integer> {
  final Session session;

  SetupCommand(Session session) {
    this.session = session;
  }

  /** The command's name, as its {@code @Command} gives it. */
  final String name() {
    return getClass().getAnnotation(Command.class).name();
  }

  abstract ClusterOptions cluster();

  abstract RunOptions run();

  /** The options as given; groups the command does not declare stay empty. */
  abstract Inputs inputs();

  /** What an error report needs, as far as parsing got. */
  final FailureContext failureContext(boolean jsonRequested) {
    return new FailureContext(
        name(), cluster().cluster, cluster().region, jsonRequested || run().json(), run().debug);
  }
}
