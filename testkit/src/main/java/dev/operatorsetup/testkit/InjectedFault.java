package dev.operatorsetup.testkit;

import dev.operatorsetup.OperatorSetupException;

/** The failure {@link Faults} makes a fake throw. */
public final class InjectedFault extends OperatorSetupException {
  private static final long serialVersionUID = 1L;

  public InjectedFault(String message, boolean retryable) {
    super(message, null, retryable);
  }
}
