package dev.operatorsetup.testkit.plane;

/** Signals that no local control plane is running and none could be started; says why. */
public final class ControlPlaneUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ControlPlaneUnavailableException(String reason) {
    super(reason);
  }
}
