package dev.operatorsetup.internal;

import dev.operatorsetup.OperatorSetupException;
import java.time.Duration;

/** The time an operation has left; also where it notices that it was cancelled. */
public final class Deadline {
  private final long start = System.nanoTime();
  private final long end;

  /** Timeouts beyond about 146 years (which have no nanosecond count in a long) never expire. */
  private static final long UNBOUNDED_NANOS = Long.MAX_VALUE / 2;

  public Deadline(Duration timeout) {
    long nanos;
    try {
      nanos = Math.min(timeout.toNanos(), UNBOUNDED_NANOS);
    } catch (ArithmeticException e) {
      nanos = UNBOUNDED_NANOS;
    }
    this.end = start + nanos;
  }

  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  public Duration remaining() {
    long left = end - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /** Returns the remaining time, at least one second so a last poll can still happen. */
  public Duration forWait() {
    Duration left = remaining();
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  public void checkCancelled() {
    if (Thread.currentThread().isInterrupted()) {
      throw new OperatorSetupException(
          "Cancelled: the thread was interrupted. Nothing is left half-done that a re-run cannot"
              + " finish; run the same command again to complete it.");
    }
  }

  public void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      checkCancelled();
    }
  }
}
