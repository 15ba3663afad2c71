package dev.operatorsetup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.testkit.FakeWorld;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One picocli subcommand per command: {@code operator-setup COMMAND --help} shows what that command
 * takes, and a command refuses the options only other commands take.
 */
class CommandHelpTest {
  static final String CLUSTER = CommandBadInputTest.CLUSTER;
  static final String REGION = CommandBadInputTest.REGION;
  static final String ROLE = CommandBadInputTest.ROLE;

  private static InProcess run(
      UnaryOperator<dev.operatorsetup.OperatorSetup.Options> fakes, String... args) {
    return InProcess.run(fakes, args);
  }

  private static InProcess run(String... args) {
    return run(UnaryOperator.identity(), args);
  }

  @Test
  void installHelp_listsInstallsOptions_andNotThoseOfOtherCommands() {
    InProcess help = run("install", "--help");

    assertThat(help.exit()).as(help.err()).isZero();
    assertThat(help.err()).isEmpty();
    assertThat(help.out())
        .startsWith("Usage: operator-setup install ")
        .contains(
            "--cluster=",
            "--region=",
            "--role=",
            "--policy-arn=",
            "--namespace=",
            "--service-account=",
            "--manifest=",
            "--image=",
            "--thumbprint=",
            "--adopt-role",
            "--force-conflicts",
            "--kubeconfig=",
            "--context=",
            "--aws-endpoint=",
            "--aws-only",
            "--manifest-out=",
            "--timeout=",
            "--output=",
            "--debug")
        .doesNotContain("--keep-crds")
        .doesNotContain("--remove-finalizers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plan", "install", "verify", "doctor", "uninstall", "render"})
  void everyCommandsHelp_works(String command) {
    InProcess help = run(command, "--help");

    assertThat(help.exit()).as(help.err()).isZero();
    assertThat(help.err()).isEmpty();
    assertThat(help.out())
        .startsWith("Usage: operator-setup " + command + " ")
        .contains("--cluster=", "--region=", "--role=", "--output=", "--timeout=", "--debug");
    assertThat(run("help", command).out()).isEqualTo(help.out());
  }

  @Test
  void eachCommandDeclaresOnlyWhatItUses() {
    assertThat(run("uninstall", "--help").out())
        .contains("--keep-crds", "--remove-finalizers", "--kubeconfig=", "--aws-only")
        .doesNotContain("--thumbprint")
        .doesNotContain("--adopt-role")
        .doesNotContain("--manifest-out")
        .doesNotContain("--image");
    assertThat(run("render", "--help").out())
        .contains("--manifest=", "--image=", "--manifest-out=", "--aws-endpoint=")
        .doesNotContain("--kubeconfig")
        .doesNotContain("--context")
        .doesNotContain("--aws-only")
        .doesNotContain("--policy-arn")
        .doesNotContain("--keep-crds");
    for (String check : List.of("verify", "doctor")) {
      assertThat(run(check, "--help").out())
          .contains("--policy-arn=", "--kubeconfig=")
          .doesNotContain("--manifest-out")
          .doesNotContain("--keep-crds")
          .doesNotContain("--adopt-role");
    }
  }

  @Test
  void topLevelHelp_listsTheCommands() {
    InProcess help = run("--help");

    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .startsWith("Usage: operator-setup ")
        .contains("plan", "install", "verify", "doctor", "uninstall", "render")
        .contains("operator-setup COMMAND --help");
    assertThat(run("--version").out()).startsWith("operator-setup ");
  }

  @Test
  void anOptionOnlyAnotherCommandTakes_isInvalidUsage() {
    InProcess r =
        run("render", "--cluster", CLUSTER, "--region", REGION, "--role", ROLE, "--keep-crds");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    CommandBadInputTest.assertOneClearError("--keep-crds on render", r.err(), "--keep-crds");
  }

  @Test
  void theCommandWordMayFollowOptions_inAnyCase() {
    FakeWorld world = new FakeWorld();
    world.addCluster(CLUSTER, REGION);

    InProcess r =
        run(
            o -> o.withAws(world.aws().services(REGION)).withKubernetes(world.kubernetes()),
            "--cluster",
            CLUSTER,
            "--region",
            REGION,
            "Plan",
            "--role",
            ROLE);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("plan: would change");
  }
}
