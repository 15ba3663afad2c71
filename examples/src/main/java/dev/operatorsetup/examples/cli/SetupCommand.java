package dev.operatorsetup.examples.cli;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.InstallReport;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * A subcommand: declares its options, gathers them into {@link Inputs}, and runs. Subclasses
 * inherit these {@code @Command} attributes and add their name and description.
 */
@Command(mixinStandardHelpOptions = true, version = TopCommand.VERSION, sortOptions = false)
abstract class SetupCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster = new ClusterOptions();
  @Mixin RunOptions run = new RunOptions();
  private final Session session;
  private final Action action;

  /** What a command does with its inputs once they parsed. */
  @FunctionalInterface
  interface Action {
    int run(Execution execution, Inputs in) throws IOException;
  }

  SetupCommand(Session session, Action action) {
    this.session = session;
    this.action = action;
  }

  /** A command that runs one operation and reports its outcome. */
  SetupCommand(Session session, Function<OperatorSetup.Options, InstallReport> operation) {
    this(session, (execution, in) -> execution.report(in, operation));
  }

  @Override
  public final Integer call() throws IOException {
    return action.run(new Execution(session), inputs());
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
