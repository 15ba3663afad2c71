package dev.operatorsetup.internal;

import dev.operatorsetup.Loggers;
import dev.operatorsetup.OperatorSetupException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a call is retried. A port call is attempted at most {@link #ATTEMPTS} times in
 * total: the adapters make exactly one attempt each (the AWS SDK's retry strategy is off, the
 * Kubernetes adapter has no loop), so retries never stack. Only retryable failures (throttling,
 * 5xx, a connection that broke) are retried, with exponential backoff, or after the service's
 * {@code Retry-After} when it sent one, and never past the operation's deadline.
 */
final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.RETRY);

  /** Attempts of one call in total, the first included. */
  static final int ATTEMPTS = 5;

  private static final long MAX_BACKOFF_MILLIS = 2000;

  private Retry() {}

  static <T> T call(String what, Deadline deadline, Supplier<T> action) {
    long backoff = 100;
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (OperatorSetupException e) {
        long wait = e.retryAfter().map(Duration::toMillis).orElse(backoff);
        if (!e.retryable() || attempt >= ATTEMPTS || deadline.remaining().toMillis() < wait) {
          throw e;
        }
        LOG.debug(
            "retry call={} attempt={} waitMs={} reason={}", what, attempt, wait, e.getMessage());
        deadline.sleep(wait);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }
}
