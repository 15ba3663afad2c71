package dev.operatorsetup.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A subcommand: declares its options, gathers them into {@link Inputs}, and runs. */
abstract class SetupCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster = new ClusterOptions();
  @Mixin RunOptions run = new RunOptions();
  final Session session;

  SetupCommand(Session session) {
    this.session = session;
  }

  /** The command's name, as its {@code @Command} gives it. */
  final String name() {
    return getClass().getAnnotation(Command.class).name();
  }

  /** The options as given; groups the command does not declare stay empty. */
  final Inputs inputs() {
    return withOwn(new Inputs(name(), cluster, run));
  }

  /** Adds the option groups this command declares besides the cluster and run options. */
  abstract Inputs withOwn(Inputs common);

  /** What an error report needs, as far as parsing got. */
  final FailureContext failureContext(boolean jsonRequested) {
    return new FailureContext(
        name(), cluster.cluster, cluster.region, jsonRequested || run.json(), run.debug);
  }
}
