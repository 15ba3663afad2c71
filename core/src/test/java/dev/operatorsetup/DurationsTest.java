package dev.operatorsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({"5m,300", "90s,90", "1h30m,5400", "PT2M,120", "1500ms,1"})
  void parses(String text, long seconds) {
    assertThat(Durations.parse("timeout", text).getSeconds()).isEqualTo(seconds);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "5",
        "five minutes",
        "-5m",
        "0s",
        "5x",
        "m5",
        "99999999999999999999s",
        "9223372036854775807h",
        "9223372036854775807s9223372036854775807s"
      })
  void rejectsWithTheFieldAndAnExample(String text) {
    assertThatThrownBy(() -> Durations.parse("timeout", text))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Invalid timeout")
        .hasMessageContaining("e.g. 10m");
  }

  @ParameterizedTest
  @CsvSource({"500,500ms", "1500,1.5s", "65000,1m05s", "3700000,1h01m"})
  void formats(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
