package dev.operatorsetup;

/**
 * Signals an input that breaks an AWS or Kubernetes rule. It names the field, the value, the rule
 * and the fix, and is thrown before anything is changed.
 */
public class InvalidConfigurationException extends OperatorSetupException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String value;
  private final String rule;
  private final String fix;

  public InvalidConfigurationException(String field, String value, String rule, String fix) {
    super(format(field, value, rule, fix));
    this.field = field;
    this.value = value;
    this.rule = rule;
    this.fix = fix;
  }

  private static String format(String field, String value, String rule, String fix) {
    String shown = value == null ? "(none)" : "'" + abbreviate(value) + "'";
    return "Invalid " + field + " " + shown + ": " + rule + ". Fix: " + fix;
  }

  static String abbreviate(String value) {
    String oneLine = value.replace("\n", "\\n").replace("\r", "\\r");
    return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
  }

  /** Returns the name of the input that was rejected, e.g. {@code role name}. */
  public String field() {
    return field;
  }

  /** Returns the rule the value breaks, e.g. {@code a role name has at most 64 characters}. */
  public String rule() {
    return rule;
  }

  /** Returns what to do instead. */
  public String fix() {
    return fix;
  }

  /** Returns the rejected value, or {@code null} if it was missing. */
  public String value() {
    return value;
  }
}
