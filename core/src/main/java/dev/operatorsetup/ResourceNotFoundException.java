package dev.operatorsetup;

/** Signals that something the installation needs (a cluster, a policy) does not exist. */
public class ResourceNotFoundException extends OperatorSetupException {
  private static final long serialVersionUID = 1L;

  public ResourceNotFoundException(String message) {
    super(message);
  }

  public ResourceNotFoundException(String message, Throwable cause) {
    super(message, cause, false);
  }
}
