package dev.operatorsetup.internal;

import dev.operatorsetup.OperatorSetupException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries a call that failed with a retryable error (throttling, 5xx), within bounds. */
final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  static final int ATTEMPTS = 5;

  private Retry() {}

  static <T> T call(String what, Deadline deadline, Supplier<T> action) {
    long backoff = 100;
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (OperatorSetupException e) {
        if (!e.retryable() || attempt >= ATTEMPTS || deadline.remaining().toMillis() < backoff) {
          throw e;
        }
        LOG.debug(
            "retry call={} attempt={} backoffMs={} reason={}",
            what,
            attempt,
            backoff,
            e.getMessage());
        deadline.sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  }

  static void run(String what, Deadline deadline, Runnable action) {
    call(
        what,
        deadline,
        () -> {
          action.run();
          return null;
        });
  }
}
