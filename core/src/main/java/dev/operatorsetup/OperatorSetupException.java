package dev.operatorsetup;

/**
 * Signals that an installation step could not be done. Every message says what failed, why, and
 * what to do about it; the cause, if any, is the SDK or client exception that reported the failure.
 */
public class OperatorSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public OperatorSetupException(String message) {
    this(message, null, false);
  }

  public OperatorSetupException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public OperatorSetupException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Returns whether the same call may succeed if it is made again later (throttling, 5xx). */
  public boolean retryable() {
    return retryable;
  }
}
