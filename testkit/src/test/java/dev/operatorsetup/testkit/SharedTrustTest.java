package dev.operatorsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.model.TrustStatement;
import dev.operatorsetup.port.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A role and an OIDC provider shared with others: install merges its one trust statement in,
 * uninstall takes out only what it put there, and a provider others still trust is kept.
 */
@ExtendWith(FakeWorldExtension.class)
class SharedTrustTest {
  static final String REGION = "us-east-1";
  static final String CLUSTER = "cluster-a";
  static final String CLUSTER_B = "cluster-b";
  static final String ROLE = "operator-role";
  static final ServiceAccountRef TEAM_B = ServiceAccountRef.of("team-b", "app");
  static final Arn FULL_ACCESS =
      Arn.parsePolicy("p", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess");
  static final Arn READ_ONLY = Arn.parsePolicy("p", "arn:aws:iam::aws:policy/ReadOnlyAccess");

  private static OperatorSetup.Options setup(FakeWorld world, String cluster) {
    return world.setup(cluster, REGION, ROLE).awsOnly();
  }

  private static Roles roles(FakeWorld world) {
    return world.aws().services(REGION).roles();
  }

  private static Role role(FakeWorld world) {
    return roles(world).find(ROLE).orElseThrow();
  }

  private static TrustStatement statement(
      FakeWorld world, ClusterInfo cluster, ServiceAccountRef sa) {
    return statement(world, cluster.issuer().orElseThrow(), sa);
  }

  private static TrustStatement statement(FakeWorld world, String issuer, ServiceAccountRef sa) {
    return TrustPolicy.forServiceAccount(
            OidcIssuer.parse(issuer), Partition.AWS, world.aws().account(), sa)
        .statements()
        .get(0);
  }

  /** Another team's provider for the issuer, made as IAM requires before a role may trust it. */
  private static dev.operatorsetup.model.Arn provider(FakeWorld world, String issuer) {
    return world
        .aws()
        .services(REGION)
        .oidcProviders()
        .create(issuer, List.of("sts.amazonaws.com"), List.of(), Map.of())
        .arn();
  }

  private static TrustPolicy trust(TrustStatement... statements) {
    return new TrustPolicy.Builder().addStatements(statements).build();
  }

  private static Change change(InstallReport report, String resourcePrefix) {
    return report.changes().stream()
        .filter(c -> c.resource().startsWith(resourcePrefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError(resourcePrefix + " in " + report.changes()));
  }

  @Test
  void aProviderAnotherRoleTrustsIsKeptAndTheReportNamesTheRole(FakeWorld world) {
    ClusterInfo a = world.addCluster(CLUSTER, REGION);
    setup(world, CLUSTER).install();
    assertThat(world.aws().providerArns()).hasSize(1);
    roles(world)
        .create(
            new RoleSpec.Builder().name("team-b-app").build(),
            trust(statement(world, a, TEAM_B)),
            Map.of());

    InstallReport removed = setup(world, CLUSTER).uninstall();

    assertThat(world.aws().providerArns()).hasSize(1);
    assertThat(world.aws().roleNames()).containsExactly("team-b-app");
    assertThat(change(removed, "iam:oidc-provider/"))
        .satisfies(c -> assertThat(c.action()).isEqualTo(ChangeAction.UNCHANGED))
        .satisfies(c -> assertThat(c.detail()).isEqualTo("kept: still trusted by role team-b-app"));

    roles(world).delete("team-b-app");
    InstallReport again = setup(world, CLUSTER).uninstall();
    assertThat(change(again, "iam:oidc-provider/").action()).isEqualTo(ChangeAction.DELETE);
    assertThat(world.aws().providerArns()).isEmpty();
  }

  @Test
  void anAdoptedRoleKeepsTheOtherTeamsStatementAndWhatWasAttachedBefore(FakeWorld world) {
    ClusterInfo a = world.addCluster(CLUSTER, REGION);
    provider(world, a.issuer().orElseThrow());
    TrustStatement theirs = statement(world, a, TEAM_B);
    roles(world).create(new RoleSpec.Builder().name(ROLE).build(), trust(theirs), Map.of());
    roles(world).attachPolicy(ROLE, READ_ONLY);

    setup(world, CLUSTER).adoptExistingRole().install();

    TrustStatement ours = statement(world, a, ServiceAccountRef.operatorDefault());
    assertThat(role(world).trustPolicy().sameAs(trust(theirs, ours))).isTrue();
    assertThat(role(world).attachedPolicies()).containsExactlyInAnyOrder(READ_ONLY, FULL_ACCESS);
    assertThat(setup(world, CLUSTER).verify().healthy()).isTrue();

    world.log().clear();
    InstallReport again = setup(world, CLUSTER).adoptExistingRole().install();
    assertThat(world.log().writes()).isEmpty();
    assertThat(again.changed()).isFalse();

    InstallReport removed = setup(world, CLUSTER).uninstall();
    assertThat(role(world).trustPolicy().sameAs(trust(theirs))).isTrue();
    assertThat(role(world).attachedPolicies()).containsExactly(READ_ONLY);
    assertThat(change(removed, "iam:role/" + ROLE + " policy AmazonSageMakerFullAccess").action())
        .isEqualTo(ChangeAction.DELETE);
    assertThat(removed.changes()).noneMatch(c -> c.resource().endsWith("policy ReadOnlyAccess"));
    // Their statement names the same provider, which they made before (IAM wants a provider to
    // exist before a role trusts it): it stays.
    assertThat(world.aws().providerArns()).hasSize(1);
    assertThat(change(removed, "iam:oidc-provider/").detail())
        .isEqualTo("kept: not created by operator-setup");
  }

  @Test
  void oneRoleServesTwoClustersAndEachKeepsItsStatement(FakeWorld world) {
    ClusterInfo a = world.addCluster(CLUSTER, REGION);
    ClusterInfo b = world.addCluster(CLUSTER_B, REGION);
    TrustStatement forA = statement(world, a, ServiceAccountRef.operatorDefault());
    TrustStatement forB = statement(world, b, ServiceAccountRef.operatorDefault());
    setup(world, CLUSTER).install();

    InstallReport installB = setup(world, CLUSTER_B).install();

    assertThat(change(installB, "iam:role/" + ROLE).detail())
        .contains("adds the statement for system:serviceaccount:")
        .contains("keeps 1 other statement(s)");
    assertThat(role(world).trustPolicy().sameAs(trust(forA, forB))).isTrue();
    world.log().clear();
    assertThat(setup(world, CLUSTER).install().changed()).isFalse();
    assertThat(setup(world, CLUSTER_B).install().changed()).isFalse();
    assertThat(world.log().writes()).isEmpty();
    assertThat(setup(world, CLUSTER).verify().healthy()).isTrue();
    assertThat(setup(world, CLUSTER_B).verify().healthy()).isTrue();

    InstallReport removeA = setup(world, CLUSTER).uninstall();

    assertThat(role(world).trustPolicy().sameAs(trust(forB))).isTrue();
    assertThat(change(removeA, "iam:role/" + ROLE).action()).isEqualTo(ChangeAction.UPDATE);
    // Cluster B's operator needs the policy that install attached.
    assertThat(role(world).attachedPolicies()).containsExactly(FULL_ACCESS);
    assertThat(setup(world, CLUSTER_B).verify().healthy()).isTrue();
    assertThat(world.aws().providerArns()).hasSize(1);

    setup(world, CLUSTER_B).uninstall();
    assertThat(world.aws().roleNames()).isEmpty();
    assertThat(world.aws().providerArns()).isEmpty();
  }

  @Test
  void aDriftedStatementIsRepairedAndTheOthersAreUntouched(FakeWorld world) {
    ClusterInfo a = world.addCluster(CLUSTER, REGION);
    setup(world, CLUSTER).install();
    TrustStatement theirs = statement(world, a, TEAM_B);
    TrustStatement ours = statement(world, a, ServiceAccountRef.operatorDefault());
    String host = OidcIssuer.parse(a.issuer().orElseThrow()).hostAndPath();
    TrustStatement drifted =
        new TrustStatement.Builder()
            .sid("Operator")
            .putPrincipal("Federated", ours.principal().get("Federated"))
            .addAllActions(ours.actions())
            .putCondition(
                "StringEquals",
                Map.of(
                    host + ":aud", List.of("sts.amazonaws.com.cn"),
                    host + ":sub", List.of(ServiceAccountRef.operatorDefault().subject())))
            .build();
    roles(world).updateTrust(ROLE, trust(theirs, drifted));
    world.log().clear();

    InstallReport plan = setup(world, CLUSTER).plan();
    assertThat(world.log().writes()).isEmpty();
    assertThat(plan.changes(ChangeAction.UPDATE))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("trust policy differs: repairs the"));

    setup(world, CLUSTER).install();

    assertThat(world.log().writes())
        .extracting(CallLog.Call::operation)
        .containsExactly("UpdateAssumeRolePolicy");
    List<TrustStatement> now = role(world).trustPolicy().statements();
    assertThat(now).hasSize(2);
    assertThat(now.get(0)).isEqualTo(theirs);
    assertThat(now.get(1).sid()).contains("Operator"); // repaired where it was
    assertThat(setup(world, CLUSTER).verify().healthy()).isTrue();
  }

  @Test
  void planShowsEachTrustDecisionAndWritesNothing(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.addCluster(CLUSTER_B, REGION);
    setup(world, CLUSTER).install();
    world.log().clear();

    InstallReport planB = setup(world, CLUSTER_B).plan();
    InstallReport planA = setup(world, CLUSTER).plan();

    assertThat(world.log().writes()).isEmpty();
    Arn providerB = Arn.parse("arn", planB.oidcProviderArn().orElseThrow());
    assertThat(change(planB, "iam:role/" + ROLE))
        .satisfies(c -> assertThat(c.action()).isEqualTo(ChangeAction.UPDATE))
        .satisfies(
            c ->
                assertThat(c.detail())
                    .isEqualTo(
                        "trust policy differs: adds the statement for "
                            + ServiceAccountRef.operatorDefault().subject()
                            + " via "
                            + providerB
                            + "; keeps 1 other statement(s) as they are"));
    assertThat(change(planA, "iam:role/" + ROLE))
        .satisfies(c -> assertThat(c.action()).isEqualTo(ChangeAction.UNCHANGED))
        .satisfies(c -> assertThat(c.detail()).startsWith("trust policy up to date (statement"));
    assertThat(roles(world).find(ROLE).orElseThrow().trustPolicy().statements()).hasSize(1);
  }

  @Test
  void doctorFlagsAStatementWhoseProviderIsGoneAndRemoveStaleTrustDropsIt(FakeWorld world) {
    ClusterInfo a = world.addCluster(CLUSTER, REGION);
    setup(world, CLUSTER).install();
    String goneIssuer = FakeWorld.newIssuer(REGION);
    TrustStatement gone = statement(world, goneIssuer, ServiceAccountRef.operatorDefault());
    TrustStatement theirs = statement(world, a, TEAM_B);
    List<TrustStatement> all = new ArrayList<>(role(world).trustPolicy().statements());
    all.add(gone);
    all.add(theirs);
    // IAM only lets a role trust a provider that exists; the provider goes away afterwards.
    dev.operatorsetup.model.Arn goneProvider = provider(world, goneIssuer);
    roles(world).updateTrust(ROLE, new TrustPolicy.Builder().statements(all).build());
    world.aws().services(REGION).oidcProviders().delete(goneProvider);

    InstallReport doctor = setup(world, CLUSTER).diagnose();
    assertThat(doctor.checks())
        .filteredOn(c -> !c.ok())
        .singleElement()
        .satisfies(c -> assertThat(c.name()).isEqualTo("role-trust"))
        .satisfies(
            c ->
                assertThat(c.detail())
                    .contains("oidc-provider/" + OidcIssuer.parse(goneIssuer).hostAndPath())
                    .contains("no longer exists"))
        .satisfies(c -> assertThat(c.fix().orElseThrow()).contains("--remove-stale-trust"));
    assertThat(setup(world, CLUSTER).verify().checks())
        .filteredOn(c -> !c.ok())
        .extracting(Check::name)
        .containsExactly("role-trust");

    // Without the option install keeps it; with it, plan shows the removal and install makes it.
    world.log().clear();
    assertThat(setup(world, CLUSTER).install().changed()).isFalse();
    assertThat(world.log().writes()).isEmpty();
    InstallReport plan = setup(world, CLUSTER).removeStaleTrust().plan();
    assertThat(plan.changes(ChangeAction.DELETE))
        .singleElement()
        .satisfies(c -> assertThat(c.resource()).contains("trust statement via arn:aws:iam::"));
    assertThat(world.log().writes()).isEmpty();

    setup(world, CLUSTER).removeStaleTrust().install();

    assertThat(world.log().writes())
        .extracting(CallLog.Call::operation)
        .containsExactly("UpdateAssumeRolePolicy");
    assertThat(role(world).trustPolicy().statements()).hasSize(2).doesNotContain(gone);
    assertThat(role(world).trustPolicy().statements()).contains(theirs);
    assertThat(setup(world, CLUSTER).verify().healthy()).isTrue();
  }
}
