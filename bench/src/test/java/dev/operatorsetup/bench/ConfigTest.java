package dev.operatorsetup.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static final String[] REQUIRED = {
    "--aws-endpoint", "http://127.0.0.1:5000", "--kubeconfig", "kc"
  };

  @Test
  void defaultsAreBenchRunsDocumentedOnes() {
    Config c = Config.parse(REQUIRED);
    assertThat(c.region()).isEqualTo("us-east-1");
    assertThat(c.command()).isEqualTo(Path.of("bin/operator-setup"));
    assertThat(List.of(c.seedRuns(), c.warmups(), c.warmRuns(), c.freshRuns()))
        .containsExactly(3, 2, 5, 5);
    assertThat(List.of(c.coldRuns(), c.cdsRuns(), c.noopRuns())).containsExactly(3, 3, 5);
    assertThat(c.fleet()).containsExactly(1, 10, 50);
    assertThat(c.sections()).containsExactly("installs", "noop", "fleet", "ack");
    assertThat(c.markdown()).isNull();
  }

  @Test
  void optionsOverrideTheDefaults() {
    Config c =
        Config.parse(
            new String[] {
              "--aws-endpoint", "http://e", "--kubeconfig", "kc", "--cds-runs", "0",
              "--fleet", " 2, 4 ,", "--sections", "installs, fleet", "--markdown", "out.md"
            });
    assertThat(c.cdsRuns()).isZero();
    assertThat(c.fleet()).containsExactly(2, 4);
    assertThat(c.runs("fleet")).isTrue();
    assertThat(c.runs("noop")).isFalse();
    assertThat(c.markdown()).isEqualTo(Path.of("out.md"));
  }

  @Test
  void badCommandLinesAreRefused() {
    assertThatThrownBy(() -> Config.parse(new String[] {"--kubeconfig", "kc"}))
        .hasMessageContaining("--aws-endpoint and --kubeconfig are required");
    assertThatThrownBy(
            () ->
                Config.parse(
                    new String[] {"--aws-endpoint", "e", "--kubeconfig", "k", "--nope", "1"}))
        .hasMessageContaining("unknown options [nope]");
    assertThatThrownBy(
            () ->
                Config.parse(
                    new String[] {"--aws-endpoint", "e", "--kubeconfig", "k", "--cold-runs", "0"}))
        .hasMessageContaining("at least 1");
  }
}
