package dev.operatorsetup.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.model.TrustStatement;
import dev.operatorsetup.testkit.CallLog;
import dev.operatorsetup.testkit.moto.MotoServer;
import dev.operatorsetup.testkit.moto.MotoServerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A role and an OIDC provider shared with others, with the SDK adapters on moto_server: uninstall
 * keeps a provider another role trusts (found with ListRoles, trust documents URL-encoded), an
 * adopted role keeps the other team's statement and policy, and one role serves two clusters.
 */
class SharedTrustOnMotoIT {
  @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();

  static final String REGION = "us-east-1";
  static final String CLUSTER = "cluster-a";
  static final String CLUSTER_B = "cluster-b";
  static final String ROLE = "shared-operator-role";
  static final String ISSUER_A =
      "https://oidc.eks.us-east-1.amazonaws.com/id/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  static final String ISSUER_B =
      "https://oidc.eks.us-east-1.amazonaws.com/id/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
  static final ServiceAccountRef TEAM_B = ServiceAccountRef.of("team-b", "app");

  private final MotoServer moto = MOTO.server();
  private final CallLog calls = new CallLog();
  private AwsPorts ports;

  @AfterEach
  void close() {
    if (ports != null) {
      ports.close();
    }
  }

  private AwsPorts aws() {
    if (ports == null) {
      ports =
          AwsPorts.builder()
              .region(REGION)
              .credentialsProvider(MotoAws.CREDENTIALS)
              .endpointOverride(moto.endpoint())
              .callListener(calls::record)
              .consistencyTimeout(Duration.ofSeconds(10))
              .build();
    }
    return ports;
  }

  private OperatorSetup.Options setup(String cluster) {
    return OperatorSetup.forCluster(cluster)
        .inRegion(REGION)
        .withRole(ROLE)
        .withAws(aws())
        .awsOnly()
        .withTimeout(Duration.ofMinutes(2));
  }

  private TrustStatement statement(String issuer, ServiceAccountRef sa) {
    return TrustPolicy.forServiceAccount(
            OidcIssuer.parse(issuer), Partition.AWS, moto.accountId(), sa)
        .statements()
        .get(0);
  }

  private static TrustPolicy trust(TrustStatement... statements) {
    return new TrustPolicy.Builder().addStatements(statements).build();
  }

  private Role role() {
    return aws().roles().find(ROLE).orElseThrow();
  }

  private Arn policy(String name) {
    return Arn.parsePolicy("policy", "arn:aws:iam::aws:policy/" + name);
  }

  private static Change change(InstallReport report, String prefix) {
    return report.changes().stream()
        .filter(c -> c.resource().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError(prefix + " in " + report.changes()));
  }

  @Test
  void uninstall_keepsAProviderAnotherRoleTrusts_andNamesTheRole() {
    moto.createCluster(REGION, CLUSTER, ISSUER_A);
    setup(CLUSTER).install();
    aws()
        .roles()
        .create(
            new RoleSpec.Builder().name("team-b-app").build(),
            trust(statement(ISSUER_A, TEAM_B)),
            Map.of());

    InstallReport removed = setup(CLUSTER).uninstall();

    assertThat(change(removed, "iam:oidc-provider/"))
        .satisfies(c -> assertThat(c.action()).isEqualTo(ChangeAction.UNCHANGED))
        .satisfies(c -> assertThat(c.detail()).isEqualTo("kept: still trusted by role team-b-app"));
    assertThat(
            aws()
                .oidcProviders()
                .find(removed.oidcProviderArn().map(a -> Arn.parse("a", a)).orElseThrow()))
        .isPresent();
    assertThat(aws().roles().find(ROLE)).isEmpty();
  }

  @Test
  void anAdoptedRole_keepsTheOtherTeamsStatementAndPolicy_andReinstallWritesNothing() {
    moto.createCluster(REGION, CLUSTER, ISSUER_A);
    TrustStatement theirs = statement(ISSUER_A, TEAM_B);
    aws().roles().create(new RoleSpec.Builder().name(ROLE).build(), trust(theirs), Map.of());
    aws().roles().attachPolicy(ROLE, policy("ReadOnlyAccess"));

    setup(CLUSTER).adoptExistingRole().install();

    TrustStatement ours = statement(ISSUER_A, ServiceAccountRef.operatorDefault());
    assertThat(role().trustPolicy().sameAs(trust(theirs, ours))).isTrue();
    assertThat(role().attachedPolicies())
        .containsExactlyInAnyOrder(policy("ReadOnlyAccess"), policy("AmazonSageMakerFullAccess"));
    calls.clear();
    setup(CLUSTER).adoptExistingRole().install();
    assertThat(calls.writes()).isEmpty();

    setup(CLUSTER).uninstall();

    assertThat(role().trustPolicy().sameAs(trust(theirs))).isTrue();
    assertThat(role().attachedPolicies()).containsExactly(policy("ReadOnlyAccess"));
  }

  @Test
  void oneRoleServesTwoClusters_andUninstallingOneKeepsTheOther() {
    moto.createCluster(REGION, CLUSTER, ISSUER_A);
    moto.createCluster(REGION, CLUSTER_B, ISSUER_B);
    TrustStatement forA = statement(ISSUER_A, ServiceAccountRef.operatorDefault());
    TrustStatement forB = statement(ISSUER_B, ServiceAccountRef.operatorDefault());

    setup(CLUSTER).install();
    setup(CLUSTER_B).install();

    assertThat(role().trustPolicy().sameAs(trust(forA, forB))).isTrue();
    calls.clear();
    assertThat(setup(CLUSTER).install().changed()).isFalse();
    assertThat(calls.writes()).isEmpty();

    setup(CLUSTER).uninstall();

    assertThat(role().trustPolicy().sameAs(trust(forB))).isTrue();
    assertThat(role().attachedPolicies()).containsExactly(policy("AmazonSageMakerFullAccess"));
    assertThat(setup(CLUSTER_B).verify().healthy()).isTrue();
    setup(CLUSTER_B).uninstall();
    assertThat(aws().roles().find(ROLE)).isEmpty();
  }
}
