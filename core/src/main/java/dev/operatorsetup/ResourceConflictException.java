package dev.operatorsetup;

/**
 * Signals that a resource exists but belongs to someone else, or is in a state this library will
 * not change without being told to.
 */
public class ResourceConflictException extends OperatorSetupException {
  private static final long serialVersionUID = 1L;

  public ResourceConflictException(String message) {
    super(message);
  }

  public ResourceConflictException(String message, Throwable cause) {
    super(message, cause, false);
  }
}
