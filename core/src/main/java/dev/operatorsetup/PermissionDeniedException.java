package dev.operatorsetup;

/** Signals that AWS or Kubernetes refused an action for lack of permission. */
public class PermissionDeniedException extends OperatorSetupException {
  private static final long serialVersionUID = 1L;
  private final String action;
  private final String principal;

  public PermissionDeniedException(
      String action, String principal, String detail, Throwable cause) {
    super(
        "Not allowed to "
            + action
            + " as "
            + (principal == null || principal.isEmpty() ? "the current principal" : principal)
            + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")")
            + ". Fix: grant "
            + action
            + " to that principal, or run with credentials that have it.",
        cause,
        false);
    this.action = action;
    this.principal = principal;
  }

  /** Returns the refused action, e.g. {@code iam:CreateRole}. */
  public String action() {
    return action;
  }

  /** Returns the principal that was refused, if known. */
  public String principal() {
    return principal;
  }
}
