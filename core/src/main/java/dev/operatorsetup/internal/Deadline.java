package dev.operatorsetup.internal;

import dev.operatorsetup.OperatorSetupException;
import java.time.Duration;

/** The time an operation has left; also where it notices that it was cancelled. */
final class Deadline {
  private final long start = System.nanoTime();
  private final long end;

  Deadline(Duration timeout) {
    this.end = start + timeout.toNanos();
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  Duration remaining() {
    long left = end - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /** Returns the remaining time, at least one second so a last poll can still happen. */
  Duration forWait() {
    Duration left = remaining();
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  void checkCancelled() {
    if (Thread.currentThread().isInterrupted()) {
      throw new OperatorSetupException(
          "Cancelled: the thread was interrupted. Nothing is left half-done that a re-run cannot"
              + " finish; run the same command again to complete it.");
    }
  }

  void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      checkCancelled();
    }
  }
}
