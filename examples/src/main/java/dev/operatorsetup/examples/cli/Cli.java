package dev.operatorsetup.examples.cli;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetup;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code operator-setup} command line: one picocli subcommand per command, the command word
 * first (moved there if options came before it), and every failure reported by {@link Failures}.
 */
public final class Cli {
  private static final List<String> HELP = List.of("-h", "--help", "-V", "--version");

  private Cli() {}

  /**
   * Runs the command and returns its exit code; {@code customize} changes the library's options
   * just before the operation runs, after every input was checked.
   */
  public static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      UnaryOperator<OperatorSetup.Options> customize) {
    Session session = new Session(out, err, customize);
    Failures failures = new Failures(session);
    CommandLine cli = commandLine(session, failures, args);
    int at = Arguments.commandIndex(args, valuedOptions(cli));
    if (at < 0) {
      for (String help : HELP) {
        if (List.of(args).contains(help)) {
          return cli.execute(help);
        }
      }
      return failures.fail(
          ExitCodes.INVALID,
          ErrorMessages.usage("Missing required parameter: 'COMMAND'"),
          null,
          FailureContext.fromArguments(null, args));
    }
    String command = args[at].toLowerCase(Locale.ROOT);
    if (!cli.getSubcommands().containsKey(command)) {
      InvalidConfigurationException e =
          new InvalidConfigurationException(
              "command",
              args[at],
              "the command must be plan, install, verify, uninstall, render or doctor",
              "e.g. operator-setup plan --cluster ...");
      return failures.handle(e, FailureContext.fromArguments(command, args));
    }
    return cli.execute(Arguments.commandFirst(args, at, command));
  }

  private static CommandLine commandLine(Session session, Failures failures, String[] args) {
    CommandLine cli =
        new CommandLine(new TopCommand())
            .addSubcommand(new PlanCommand(session))
            .addSubcommand(new InstallCommand(session))
            .addSubcommand(new VerifyCommand(session))
            .addSubcommand(new UninstallCommand(session))
            .addSubcommand(new RenderCommand(session))
            .addSubcommand(new DoctorCommand(session))
            .addSubcommand(new MigrateCommand(session))
            .addSubcommand(new CommandLine.HelpCommand());
    cli.setOut(new PrintWriter(session.out(), true));
    cli.setErr(new PrintWriter(session.err(), true));
    cli.setParameterExceptionHandler(
        (e, a) ->
            failures.fail(
                ExitCodes.INVALID, ErrorMessages.usage(e), e, context(e.getCommandLine(), a)));
    cli.setExecutionExceptionHandler((e, c, p) -> failures.handle(e, context(c, args)));
    return cli;
  }

  /** What parsing got as far as, or the raw arguments if no command parsed them. */
  private static FailureContext context(CommandLine failed, String[] args) {
    if (failed != null && failed.getCommand() instanceof SetupCommand command) {
      return command.failureContext(Arguments.requestsJson(args));
    }
    return FailureContext.fromArguments(null, args);
  }

  /** Every option of every command that takes its value as the next argument. */
  private static Set<String> valuedOptions(CommandLine cli) {
    Set<String> valued = new HashSet<>();
    for (CommandLine sub : cli.getSubcommands().values()) {
      for (OptionSpec option : sub.getCommandSpec().options()) {
        if (option.arity().max() > 0) {
          valued.addAll(List.of(option.names()));
        }
      }
    }
    return valued;
  }
}
