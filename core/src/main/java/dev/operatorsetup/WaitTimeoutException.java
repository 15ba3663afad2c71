package dev.operatorsetup;

import java.time.Duration;

/** Signals that a wait ran out of time; the message names what was being waited for. */
public class WaitTimeoutException extends OperatorSetupException {
  private static final long serialVersionUID = 1L;
  private final String waitingFor;

  public WaitTimeoutException(String waitingFor, Duration waited, String detail) {
    super(
        "Timed out after "
            + Durations.format(waited)
            + " waiting for "
            + waitingFor
            + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")")
            + ". Fix: check the object's events and status, or allow more time with a longer"
            + " timeout.",
        null,
        true);
    this.waitingFor = waitingFor;
  }

  /** Returns what was being waited for, e.g. {@code Deployment ns/name to roll out}. */
  public String waitingFor() {
    return waitingFor;
  }
}
