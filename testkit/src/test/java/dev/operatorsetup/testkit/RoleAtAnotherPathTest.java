package dev.operatorsetup.testkit;

import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.REGION;
import static dev.operatorsetup.testkit.Example.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.TrustPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IAM role names are unique in an account whatever their path, GetRole finds a role by name alone,
 * and IAM cannot move a role to another path. So a role that exists at another path than the one
 * asked for must not be taken for the one asked for: the ServiceAccount would name an ARN that does
 * not exist, and IRSA would fail while verify and doctor called the installation healthy.
 */
@ExtendWith(FakeWorldExtension.class)
class RoleAtAnotherPathTest {

  private static String annotation(FakeWorld world) {
    return world
        .kubernetes()
        .get(InstallOnFakesTest.SA)
        .orElseThrow()
        .annotations()
        .get(ManifestPatch.ROLE_ARN_ANNOTATION);
  }

  @Test
  void ourRoleAtAnotherPath_isRefusedBeforeAnyWrite_namingThePathToUse(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    String arn = "arn:aws:iam::" + world.aws().account() + ":role/" + ROLE;
    world.log().clear();

    assertThatThrownBy(
            () -> world.setup(CLUSTER, REGION, ROLE).withRolePath("/operators/").install())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("exists as " + arn + " (path /)")
        .hasMessageContaining(".withRolePath(\"/\")");
    assertThatThrownBy(() -> world.setup(CLUSTER, REGION, ROLE).withRolePath("/operators/").plan())
        .isInstanceOf(ResourceConflictException.class);

    assertThat(world.log().writes()).isEmpty();
    assertThat(annotation(world)).isEqualTo(arn);
    assertThat(world.setup(CLUSTER, REGION, ROLE).verify().healthy()).isTrue();
  }

  @Test
  void verify_failsWhenTheRoleIsAtAnotherPath(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();

    InstallReport verify = world.setup(CLUSTER, REGION, ROLE).withRolePath("/operators/").verify();

    assertThat(verify.healthy()).isFalse();
    assertThat(verify.checks()).filteredOn(c -> !c.ok()).extracting(Check::name).contains("role");
    assertThat(verify.checks())
        .filteredOn(c -> c.name().equals("role"))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("withRolePath(\"/\")"));
  }

  @Test
  void doctor_findsAnAnnotationThatNamesTheRoleAtAnotherPath(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    String wrong = "arn:aws:iam::" + world.aws().account() + ":role/operators/" + ROLE;
    InstallOnFakesTest.annotateRoleArn(world, wrong);

    List<Check> findings =
        world.setup(CLUSTER, REGION, ROLE).diagnose().checks().stream()
            .filter(c -> !c.ok())
            .toList();

    assertThat(findings)
        .filteredOn(c -> c.name().equals("role"))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains(wrong).contains("(path /)"));
  }

  @Test
  void aForeignRoleAtAnotherPath_isAdoptedOnlyWithItsPath(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world
        .aws()
        .services(REGION)
        .roles()
        .create(
            new RoleSpec.Builder().name(ROLE).path("/team/").build(),
            TrustPolicy.parse(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"),
            Map.of());
    world.log().clear();

    assertThatThrownBy(() -> world.setup(CLUSTER, REGION, ROLE).adoptExistingRole().install())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining(".withRolePath(\"/team/\")");
    assertThat(world.log().writes()).isEmpty();

    world.setup(CLUSTER, REGION, ROLE).withRolePath("/team/").adoptExistingRole().install();

    assertThat(annotation(world))
        .isEqualTo("arn:aws:iam::" + world.aws().account() + ":role/team/" + ROLE);
    assertThat(world.setup(CLUSTER, REGION, ROLE).withRolePath("/team/").verify().healthy())
        .isTrue();
  }
}
