package dev.operatorsetup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad target and chart options through the command: exit 2, one clear error naming the option, the
 * value and the fix, and no call to AWS or Kubernetes.
 */
class AckCommandBadInputTest {
  private static List<String> install(String... more) {
    List<String> args = CommandBadInputTest.required("install");
    args.addAll(List.of(more));
    return args;
  }

  private static List<String> migrate(String... more) {
    List<String> args = CommandBadInputTest.required("migrate");
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("migrate to the legacy target", "--target", migrate("--target", "legacy")),
        Arguments.of("migrate with a missing chart", "--chart", migrate("--chart", "/nope")),
        Arguments.of("migrate AWS-only", "--aws-only", migrate("--aws-only")),
        Arguments.of(
            "migrate with a bad install scope",
            "--install-scope",
            migrate("--dry-run", "--install-scope", "everywhere")),
        Arguments.of("unknown target", "--target", install("--target", "kubeflow")),
        Arguments.of(
            "missing chart dir", "--chart", install("--target", "ack", "--chart", "/nope")),
        Arguments.of(
            "unpinned chart URL",
            "--chart",
            install("--target", "ack", "--chart", "https://example.com/chart.tgz")),
        Arguments.of("set without =", "--set", install("--target", "ack", "--set", "image.tag")),
        Arguments.of("set with a bad key", "--set", install("--target", "ack", "--set", "a b=1")),
        Arguments.of(
            "missing values file",
            "--values",
            install("--target", "ack", "--values", "/nope.yaml")),
        Arguments.of(
            "unknown install scope",
            "--install-scope",
            install("--target", "ack", "--install-scope", "everywhere")),
        Arguments.of(
            "bad watch namespace",
            "--watch-namespace",
            install("--target", "ack", "--watch-namespace", "Team_A")),
        Arguments.of("set with the legacy target", "--set", install("--set", "a=b")),
        Arguments.of(
            "install scope with the legacy target",
            "--install-scope",
            install("--install-scope", "namespace")),
        Arguments.of(
            "Helm takeover with the legacy target",
            "--take-over-helm-release",
            install("--take-over-helm-release")),
        Arguments.of(
            "manifest with the ACK target",
            "--manifest",
            install("--target", "ack", "--manifest", "bundled")),
        Arguments.of(
            "retain with the legacy target",
            "--retain-aws-resources",
            List.of(
                "uninstall",
                "--cluster",
                CommandBadInputTest.CLUSTER,
                "--region",
                CommandBadInputTest.REGION,
                "--role",
                CommandBadInputTest.ROLE,
                "--retain-aws-resources")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exitsTwoNamingTheOptionAndTouchesNothing(String label, String mentions, List<String> args) {
    CommandBadInputTest.Run run = CommandBadInputTest.run(args);

    assertThat(run.exit()).as(label + ": exit code; stderr " + run.err()).isEqualTo(2);
    CommandBadInputTest.assertOneClearError(label, run.err(), mentions);
    assertThat(run.world().log().calls()).as(label + ": calls").isEmpty();
  }
}
