package dev.operatorsetup.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EksAuthenticationTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-11-28T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void makesTheFirstTokenAtOnce_reusesIt_andRenewsItBeforeEksExpiresIt() {
    ManualClock clock = new ManualClock();
    AtomicInteger made = new AtomicInteger();
    EksAuthentication auth =
        new EksAuthentication(() -> "token-" + made.incrementAndGet(), EksTokens.REFRESH, clock);
    assertThat(made).hasValue(1);

    clock.advance(Duration.ofMinutes(9));
    assertThat(auth.token()).isEqualTo("token-1");

    clock.advance(Duration.ofMinutes(1));
    assertThat(auth.token()).isEqualTo("token-2");

    clock.advance(Duration.ofMinutes(14));
    assertThat(auth.token()).isEqualTo("token-3");
  }
}
