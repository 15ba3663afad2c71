package dev.operatorsetup;

import java.time.Duration;
import java.util.Optional;

/**
 * Signals that an installation step could not be done. Every message says what failed, why, and
 * what to do about it; the cause, if any, is the SDK or client exception that reported the failure.
 */
public class OperatorSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;
  private final transient Duration retryAfter;

  public OperatorSetupException(String message) {
    this(message, null, false);
  }

  public OperatorSetupException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public OperatorSetupException(String message, Throwable cause, boolean retryable) {
    this(message, cause, retryable, null);
  }

  /**
   * Creates a retryable failure whose service said when to try again (an HTTP {@code Retry-After}
   * header); {@code retryAfter} may be null when it did not.
   */
  public OperatorSetupException(
      String message, Throwable cause, boolean retryable, Duration retryAfter) {
    super(message, cause);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** Returns whether the same call may succeed if it is made again later (throttling, 5xx). */
  public boolean retryable() {
    return retryable;
  }

  /** Returns how long the service asked the caller to wait before trying again, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
