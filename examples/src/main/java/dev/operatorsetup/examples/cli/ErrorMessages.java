package dev.operatorsetup.examples.cli;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import java.util.Map;
import picocli.CommandLine.ParameterException;

/**
 * The one-line error the command prints. A rejected input is named by the library's field and,
 * through {@link #FLAGS}, by the command-line flag that set it: "Invalid role name (--role) 'a/b':
 * RULE. Fix: FIX".
 */
final class ErrorMessages {
  /** The command-line flag of each field the library names in its exceptions. */
  static final Map<String, String> FLAGS =
      Map.ofEntries(
          Map.entry("cluster name", "--cluster"),
          Map.entry("region", "--region"),
          Map.entry("role name", "--role"),
          Map.entry("policy ARN", "--policy-arn"),
          Map.entry("namespace", "--namespace"),
          Map.entry("service account name", "--service-account"),
          Map.entry("service account", "--service-account"),
          Map.entry("manifest", "--manifest"),
          Map.entry("manifest file", "--manifest"),
          Map.entry("manifest URL", "--manifest"),
          Map.entry("image override", "--image"),
          Map.entry("thumbprint", "--thumbprint"),
          Map.entry("AWS endpoint", "--aws-endpoint"),
          Map.entry("kubeconfig", "--kubeconfig"),
          Map.entry("kubeconfig context", "--context"),
          Map.entry("force conflicts", "--force-conflicts"),
          Map.entry("remove finalizers", "--remove-finalizers"),
          Map.entry("chart", "--chart"),
          Map.entry("chart value", "--set"),
          Map.entry("values file", "--values"),
          Map.entry("install scope", "--install-scope"),
          Map.entry("watch namespace", "--watch-namespace"),
          Map.entry("take over Helm release", "--take-over-helm-release"),
          Map.entry("retain AWS resources", "--retain-aws-resources"),
          Map.entry("target", "--target"),
          Map.entry("awsOnly", "--aws-only"));

  /** Values longer than this are cut, as the library's own messages cut them. */
  private static final int MAX_VALUE = 120;

  private ErrorMessages() {}

  /** The message for a run that ended with {@code e}. */
  static String of(Exception e) {
    if (e instanceof InvalidConfigurationException invalid) {
      return invalid(invalid);
    }
    if (e instanceof OperatorSetupException) {
      return e.getMessage();
    }
    return "Unexpected error: " + e + ". Fix: run again with --debug and report the stack trace.";
  }

  /** The message for arguments picocli could not parse. */
  static String usage(String problem) {
    return "Invalid usage: " + problem + ". Fix: see operator-setup --help.";
  }

  static String usage(ParameterException e) {
    return usage(e.getMessage());
  }

  /** The library's field, the flag that set it if there is one, the value, the rule and the fix. */
  static String invalid(InvalidConfigurationException e) {
    String flag = e.field() == null ? null : FLAGS.get(e.field());
    if (flag == null) {
      return e.getMessage();
    }
    String shown = e.value() == null ? "(none)" : "'" + abbreviate(e.value()) + "'";
    return "Invalid "
        + e.field()
        + " ("
        + flag
        + ") "
        + shown
        + ": "
        + e.rule()
        + ". Fix: "
        + e.fix();
  }

  /** One line of at most 120 characters, as {@code InvalidConfigurationException} shows values. */
  static String abbreviate(String value) {
    String oneLine = value.replace("\n", "\\n").replace("\r", "\\r");
    return oneLine.length() <= MAX_VALUE ? oneLine : oneLine.substring(0, MAX_VALUE - 3) + "...";
  }
}
