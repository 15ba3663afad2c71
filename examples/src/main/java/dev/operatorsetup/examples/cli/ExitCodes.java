package dev.operatorsetup.examples.cli;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;

/**
 * The command's exit codes: 0 success; 2 invalid input (nothing was changed); 3 refused or not
 * found by AWS or Kubernetes; 4 timed out waiting; 1 anything else, and a verify or doctor that
 * found a problem.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int INVALID = 2;
  public static final int REFUSED = 3;
  public static final int TIMED_OUT = 4;

  private ExitCodes() {}

  /** The exit code for a run that ended with {@code e}. */
  static int of(Exception e) {
    if (e instanceof InvalidConfigurationException) {
      return INVALID;
    }
    if (e instanceof PermissionDeniedException
        || e instanceof ResourceConflictException
        || e instanceof ResourceNotFoundException) {
      return REFUSED;
    }
    if (e instanceof WaitTimeoutException) {
      return TIMED_OUT;
    }
    return FAILED;
  }
}
