package dev.operatorsetup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.testkit.FakeWorld;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exit codes that need a world in a particular state, in process on the in-memory fakes: a rollout
 * that never finishes (exit 4; the real plane's variant is in {@code CommandIT}), and a role that
 * belongs to someone else (exit 3).
 */
class CommandOnFakesTest {
  static final String CLUSTER = CommandBadInputTest.CLUSTER;
  static final String REGION = CommandBadInputTest.REGION;
  static final String ROLE = CommandBadInputTest.ROLE;

  private final FakeWorld world = new FakeWorld();

  private InProcess run(String command, String... more) {
    List<String> args =
        new ArrayList<>(List.of(command, "--cluster", CLUSTER, "--region", REGION, "--role", ROLE));
    args.addAll(List.of(more));
    return InProcess.run(world, REGION, args);
  }

  @Test
  void aRolloutThatNeverFinishes_exitsFour_namingWhatItWaitedForAndHowLong() throws Exception {
    world.addCluster(CLUSTER, REGION);
    world.kubernetes().markUnpullable(ManifestPatch.LIVE_RBAC_PROXY);

    InProcess text = run("install", "--timeout", "2s");

    assertThat(text.exit()).as(text.err()).isEqualTo(4);
    assertThat(text.err())
        .contains(
            "waiting for Deployment"
                + " sagemaker-k8s-operator-system/sagemaker-k8s-operator-controller-manager to roll"
                + " out (up to")
        .doesNotContain("\tat ");
    String error = text.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
    assertThat(error)
        .contains("sagemaker-k8s-operator-controller-manager")
        .containsIgnoringCase("timed out")
        .contains("Fix");
    assertThat(text.out()).isEmpty();

    InProcess json = run("install", "--timeout", "2s", "--output", "json");

    assertThat(json.exit()).isEqualTo(4);
    JsonNode doc = CommandBadInputTest.onlyJsonDocument("timeout", json.out());
    assertThat(doc.path("error").path("exitCode").asInt()).isEqualTo(4);
    assertThat(doc.path("command").asText()).isEqualTo("install");
  }

  @Test
  void timeoutsTooLongToCountInNanoseconds_meanNoLimit() {
    world.addCluster(CLUSTER, REGION);

    for (String timeout : List.of("3000000h", "P99999999999D")) {
      InProcess plan = run("plan", "--timeout", timeout);

      assertThat(plan.exit()).as(timeout + ": " + plan.err()).isZero();
      assertThat(plan.out()).contains("plan: would change");
    }
  }

  @Test
  void aRoleOfTheSameNameMadeBySomeoneElse_exitsThree_andNothingIsWritten() throws Exception {
    world.addCluster(CLUSTER, REGION);
    world
        .aws()
        .services(REGION)
        .roles()
        .create(
            new dev.operatorsetup.model.RoleSpec.Builder().name(ROLE).build(),
            // Another team's role trusts EC2 (IAM refuses a trust naming a provider that does
            // not exist, so it cannot trust another cluster's provider without that provider).
            dev.operatorsetup.testkit.ServiceTrust.ec2(),
            java.util.Map.of());
    world.log().clear();

    InProcess json = run("install", "--output", "json");

    assertThat(json.exit()).as(json.err()).isEqualTo(3);
    JsonNode doc = CommandBadInputTest.onlyJsonDocument("conflict", json.out());
    assertThat(doc.path("error").path("message").asText())
        .contains(ROLE)
        .contains("--adopt-role")
        .contains("Fix");
    CommandBadInputTest.assertOneClearError("conflict", json.err(), ROLE);
    assertThat(world.log().writes()).isEmpty();
    assertThat(world.aws().providerArns()).isEmpty();
  }

  @Test
  void installThenVerify_onFakes_printTheContractsJson() throws Exception {
    world.addCluster(CLUSTER, REGION);

    InProcess install = run("install", "--output", "json");
    InProcess verify = run("verify", "--output", "json");

    assertThat(install.exit()).as(install.err()).isZero();
    JsonNode doc = CommandBadInputTest.onlyJsonDocument("install", install.out());
    assertThat(doc.path("roleArn").asText())
        .isEqualTo("arn:aws:iam::" + world.aws().account() + ":role/" + ROLE);
    assertThat(doc.path("oidcProviderArn").asText()).contains(":oidc-provider/oidc.eks.");
    assertThat(doc.path("changes")).isNotEmpty();
    doc.path("changes")
        .forEach(
            c -> {
              assertThat(c.path("resource").asText()).isNotBlank();
              assertThat(c.path("action").asText()).isEqualTo("create");
              assertThat(c.path("detail").asText()).isNotBlank();
            });
    assertThat(verify.exit()).as(verify.err()).isZero();
    JsonNode checks = CommandBadInputTest.onlyJsonDocument("verify", verify.out()).path("checks");
    assertThat(checks).isNotEmpty();
    checks.forEach(c -> assertThat(c.path("ok").asBoolean()).as(c.toString()).isTrue());
    assertThat(install.err()).isEmpty();
  }
}
