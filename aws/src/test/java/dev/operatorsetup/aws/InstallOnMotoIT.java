package dev.operatorsetup.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.testkit.CallLog;
import dev.operatorsetup.testkit.InMemoryKubernetes;
import dev.operatorsetup.testkit.moto.MotoServer;
import dev.operatorsetup.testkit.moto.MotoServerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole installation with the SDK adapters against moto_server (STS, EKS, IAM) and the
 * in-memory Kubernetes fake: the seed procedure's cluster, issuer and role, the trust policy as IAM
 * stores it, IAM writes counted per call by the adapters' call listener, drift repair, uninstall,
 * and the China partition. moto is reset before each test.
 */
class InstallOnMotoIT {
  @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();

  static final String REGION = "us-east-1";
  static final String CHINA = "cn-northwest-1";
  static final String CLUSTER = "FSxL-Persistent-Cluster";
  static final String ROLE = "eks-fsx-cluster-role";
  static final String ISSUER =
      "https://oidc.eks.us-east-1.amazonaws.com/id/3A12CB18E75BD1133D141F6C7B5FB266";
  static final String CHINA_ISSUER =
      "https://oidc.eks.cn-northwest-1.amazonaws.com.cn/id/5C7F2A0E9B4D4E1F8A6B3C2D1E0F9A8B";

  /** The account the seed's trust.json names. */
  static final String SEED_ACCOUNT = "012345678910";

  static final ObjectRef SA = dev.operatorsetup.testkit.Example.SERVICE_ACCOUNT;

  private final MotoServer moto = MOTO.server();
  private final CallLog calls = new CallLog();
  private final Map<String, AwsPorts> ports = new HashMap<>();
  private InMemoryKubernetes kubernetes;

  @BeforeEach
  void freshCluster() {
    kubernetes = new InMemoryKubernetes();
  }

  @AfterEach
  void close() {
    ports.values().forEach(AwsPorts::close);
    ports.clear();
  }

  /** AwsPorts on moto for a region; every call they make is recorded in {@link #calls}. */
  private AwsPorts aws(String region) {
    return ports.computeIfAbsent(
        region,
        r ->
            AwsPorts.builder()
                .region(r)
                .credentialsProvider(MotoAws.CREDENTIALS)
                .endpointOverride(moto.endpoint())
                .callListener(calls::record)
                .consistencyTimeout(Duration.ofSeconds(10))
                .build());
  }

  private OperatorSetup.Options setup(String region) {
    return OperatorSetup.forCluster(CLUSTER)
        .inRegion(region)
        .withRole(ROLE)
        .withAws(aws(region))
        .withKubernetes(kubernetes)
        .withTimeout(Duration.ofMinutes(2));
  }

  private OperatorSetup.Options setup() {
    return setup(REGION);
  }

  /** The China region with the China installer (its image from the China ECR). */
  private OperatorSetup.Options china() {
    return setup(CHINA).withManifest(Manifests.bundled(Manifests.Variant.CHINA));
  }

  private List<String> iamWrites() {
    return calls.writes().stream()
        .filter(c -> c.service().equals("iam"))
        .map(CallLog.Call::operation)
        .toList();
  }

  /** The seed's trust.json, with moto's account if moto runs with another than the seed's. */
  private TrustPolicy seedTrust() throws IOException {
    String seed = seedText();
    String account = moto.accountId();
    return TrustPolicy.parse(
        account.equals(SEED_ACCOUNT) ? seed : seed.replace(SEED_ACCOUNT, account));
  }

  /** The seed procedure's trust.json (core's test resources), as it is. */
  private static String seedText() throws IOException {
    Path root = MotoServer.repositoryRoot().orElse(Path.of("..").toAbsolutePath().normalize());
    return Files.readString(
        root.resolve("core/src/test/resources/seed/trust.json"), StandardCharsets.UTF_8);
  }

  private Arn sageMakerPolicy(Partition partition) {
    return Arn.parsePolicy(
        "policy", "arn:" + partition.id() + ":iam::aws:policy/AmazonSageMakerFullAccess");
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  void install_createsProviderAndRole_whoseTrustReadBackEqualsTheSeed() throws IOException {
    ClusterInfo cluster = moto.createCluster(REGION, CLUSTER, ISSUER);
    assertThat(cluster.issuer()).contains(ISSUER);
    String account = moto.accountId();

    InstallReport report = setup().install();

    // provider + role + policy + the 18 objects of the bundled manifest
    assertThat(report.changes()).hasSize(21).allMatch(c -> c.action() == ChangeAction.CREATE);
    assertThat(report.account()).contains(account);
    assertThat(report.roleArn()).contains("arn:aws:iam::" + account + ":role/" + ROLE);
    Arn providerArn =
        Arn.parse(
            "provider",
            "arn:aws:iam::"
                + account
                + ":oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/3A12CB18E75BD1133D141F6C7B5FB266");
    assertThat(report.oidcProviderArn()).contains(providerArn.toString());

    Role role = aws(REGION).roles().find(ROLE).orElseThrow();
    TrustPolicy seed = seedTrust();
    assertThat(role.trustPolicy().sameAs(seed))
        .as("trust policy read back from moto %s vs seed %s", role.trustPolicy().toJson(), seed)
        .isTrue();
    if (account.equals(SEED_ACCOUNT)) {
      // moto runs with the seed's account (scripts/test, scripts/moto): the seed file as it is.
      assertThat(role.trustPolicy().sameAs(TrustPolicy.parse(seedText()))).isTrue();
    }
    assertThat(role.trustPolicy().toCompactJson())
        .contains(
            "arn:aws:iam::" + account + ":oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/");
    assertThat(role.arn().toString()).isEqualTo("arn:aws:iam::" + account + ":role/" + ROLE);
    assertThat(role.attachedPolicies()).containsExactly(sageMakerPolicy(Partition.AWS));
    assertThat(Tags.isOurs(role.tags())).isTrue();
    OidcProvider provider = aws(REGION).oidcProviders().find(providerArn).orElseThrow();
    assertThat(provider.clientIds()).containsExactly(TrustPolicy.AUDIENCE);
    assertThat(Tags.isOurs(provider.tags())).isTrue();
    assertThat(kubernetes.get(SA).orElseThrow().annotations())
        .containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, role.arn().toString());
    assertThat(iamWrites())
        .containsExactlyInAnyOrder("CreateOpenIDConnectProvider", "CreateRole", "AttachRolePolicy");
    assertThat(calls.writes()).allMatch(c -> c.service().equals("iam"));

    InstallReport verify = setup().verify();
    assertThat(verify.healthy()).as(verify.checks().toString()).isTrue();
  }

  @Test
  void plan_listsEveryCreate_andMakesZeroWrites() {
    moto.createCluster(REGION, CLUSTER, ISSUER);

    InstallReport plan = setup().plan();

    assertThat(plan.changes()).hasSize(21).allMatch(c -> c.action() == ChangeAction.CREATE);
    assertThat(calls.writes()).isEmpty();
    assertThat(calls.reads("iam")).isPositive();
    assertThat(aws(REGION).roles().find(ROLE)).isEmpty();
    assertThat(aws(REGION).oidcProviders().list()).isEmpty();
    assertThat(kubernetes.get(SA)).isEmpty();
  }

  @Test
  void aReRun_changesNothing_andMakesZeroIamWrites() {
    moto.createCluster(REGION, CLUSTER, ISSUER);
    setup().install();
    Role before = aws(REGION).roles().find(ROLE).orElseThrow();
    calls.clear();

    InstallReport again = setup().install();

    assertThat(again.changed()).as(again.changes().toString()).isFalse();
    assertThat(again.changes()).hasSize(21).allMatch(c -> c.action() == ChangeAction.UNCHANGED);
    assertThat(calls.writes()).isEmpty();
    assertThat(calls.writes("iam")).isZero();
    assertThat(calls.reads("iam")).isPositive();
    assertThat(aws(REGION).roles().find(ROLE)).contains(before);
  }

  @Test
  void trustDrift_isShownByPlanAndVerify_andRepairedWithExactlyOneUpdateAssumeRolePolicy()
      throws IOException {
    moto.createCluster(REGION, CLUSTER, ISSUER);
    setup().install();
    TrustPolicy stale =
        TrustPolicy.forServiceAccount(
            OidcIssuer.parse(
                "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"),
            Partition.AWS,
            moto.accountId(),
            ServiceAccountRef.operatorDefault());
    aws(REGION).roles().updateTrust(ROLE, stale);
    assertThat(aws(REGION).roles().find(ROLE).orElseThrow().trustPolicy().sameAs(stale)).isTrue();

    InstallReport plan = setup().plan();
    assertThat(plan.changes(ChangeAction.UPDATE))
        .singleElement()
        .satisfies(c -> assertThat(c.resource()).isEqualTo("iam:role/" + ROLE))
        .satisfies(c -> assertThat(c.detail()).contains("trust policy differs"));
    InstallReport verify = setup().verify();
    assertThat(verify.checks())
        .filteredOn(c -> !c.ok())
        .extracting(Check::name)
        .containsExactly("role-trust");
    calls.clear();

    // The old provider's statement is kept unless asked: removeStaleTrust drops it in the same
    // single update that adds ours.
    InstallReport repair = setup().removeStaleTrust().install();

    assertThat(repair.changes(ChangeAction.UPDATE)).hasSize(1);
    assertThat(calls.writes())
        .extracting(c -> c.service() + ":" + c.operation())
        .containsExactly("iam:UpdateAssumeRolePolicy");
    assertThat(aws(REGION).roles().find(ROLE).orElseThrow().trustPolicy().sameAs(seedTrust()))
        .isTrue();
    assertThat(setup().verify().healthy()).isTrue();
  }

  @Test
  void uninstall_removesTheRoleAndTheProviderItCreated_andASecondMakesNoWrites() {
    moto.createCluster(REGION, CLUSTER, ISSUER);
    setup().install();
    assertThat(aws(REGION).oidcProviders().list()).hasSize(1);

    InstallReport report = setup().uninstall();

    assertThat(report.changes(ChangeAction.DELETE))
        .extracting(c -> c.resource())
        .contains(
            "iam:role/" + ROLE,
            "iam:role/" + ROLE + " policy AmazonSageMakerFullAccess",
            "iam:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/3A12CB18E75BD1133D141F6C7B5FB266");
    assertThat(aws(REGION).roles().find(ROLE)).isEmpty();
    assertThat(aws(REGION).oidcProviders().list()).isEmpty();
    assertThat(kubernetes.get(SA)).isEmpty();
    calls.clear();

    InstallReport again = setup().uninstall();
    assertThat(again.changed()).as(again.changes().toString()).isFalse();
    assertThat(calls.writes()).isEmpty();
  }

  @Test
  void aPreExistingProvider_isReused_andLeftInPlaceByUninstall() {
    moto.createCluster(REGION, CLUSTER, ISSUER);
    OidcProvider existing =
        aws(REGION)
            .oidcProviders()
            .create(ISSUER, List.of(TrustPolicy.AUDIENCE), List.of(), Map.of("team", "platform"));
    calls.clear();

    InstallReport report = setup().install();

    assertThat(report.changes())
        .filteredOn(c -> c.resource().startsWith("iam:oidc-provider/"))
        .singleElement()
        .satisfies(c -> assertThat(c.action()).isEqualTo(ChangeAction.UNCHANGED));
    assertThat(iamWrites()).doesNotContain("CreateOpenIDConnectProvider");
    assertThat(report.oidcProviderArn()).contains(existing.arn().toString());

    InstallReport uninstall = setup().uninstall();

    assertThat(uninstall.changes())
        .filteredOn(c -> c.resource().startsWith("iam:oidc-provider/"))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("not created by operator-setup"));
    assertThat(aws(REGION).roles().find(ROLE)).isEmpty();
    assertThat(aws(REGION).oidcProviders().list()).containsExactly(existing.arn());
    assertThat(aws(REGION).oidcProviders().find(existing.arn()).orElseThrow().tags())
        .containsEntry("team", "platform");
  }

  @Test
  void everyRoleOption_isWrittenOnce_andARerunMakesZeroWrites() {
    moto.createCluster(REGION, CLUSTER, ISSUER);
    Arn custom;
    try (MotoAws helper = new MotoAws(moto)) {
      custom = helper.createPolicy("sagemaker-operator-extra");
    }
    String inline =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::b/*\"}]}";
    java.util.function.Supplier<OperatorSetup.Options> options =
        () ->
            setup()
                .withPolicy(sageMakerPolicy(Partition.AWS).toString())
                .withPolicy(custom.toString())
                .withInlinePolicy("s3-data", inline)
                .withRolePath("/operators/")
                .withRoleDescription("SageMaker operator for FSxL-Persistent-Cluster")
                .withMaxSessionDuration(Duration.ofHours(2))
                .withRoleTag("team", "ml-platform");

    InstallReport first = options.get().install();

    String roleArn = "arn:aws:iam::" + moto.accountId() + ":role/operators/" + ROLE;
    assertThat(first.roleArn()).contains(roleArn);
    Role role = aws(REGION).roles().find(ROLE).orElseThrow();
    assertThat(role.arn().toString()).isEqualTo(roleArn);
    assertThat(role.path()).isEqualTo("/operators/");
    assertThat(role.attachedPolicies())
        .containsExactlyInAnyOrder(sageMakerPolicy(Partition.AWS), custom);
    assertThat(role.inlinePolicies()).containsOnlyKeys("s3-data");
    assertThat(role.tags()).containsEntry("team", "ml-platform");
    assertThat(role.description()).contains("SageMaker operator for FSxL-Persistent-Cluster");
    assertThat(role.maxSessionDurationSeconds()).contains(7200);
    assertThat(kubernetes.get(SA).orElseThrow().annotations())
        .containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn);
    assertThat(options.get().verify().healthy()).isTrue();
    calls.clear();

    InstallReport again = options.get().install();

    assertThat(again.changed()).as(again.changes().toString()).isFalse();
    assertThat(calls.writes()).isEmpty();

    options.get().uninstall();
    assertThat(aws(REGION).roles().find(ROLE)).isEmpty();
    assertThat(aws(REGION).oidcProviders().list()).isEmpty();
  }

  @Test
  void theRoleAtAnotherPath_isRefusedBeforeAnyWrite() {
    moto.createCluster(REGION, CLUSTER, ISSUER);
    setup().install();
    calls.clear();

    // IAM's GetRole finds the role by name whatever the path asked for, and cannot move it.
    assertThatThrownBy(() -> setup().withRolePath("/operators/").install())
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("arn:aws:iam::" + moto.accountId() + ":role/" + ROLE + " (path /)")
        .hasMessageContaining(".withRolePath(\"/\")");

    assertThat(calls.writes()).isEmpty();
    assertThat(kubernetes.get(SA).orElseThrow().annotations())
        .containsEntry(
            ManifestPatch.ROLE_ARN_ANNOTATION,
            "arn:aws:iam::" + moto.accountId() + ":role/" + ROLE);
    assertThat(setup().withRolePath("/operators/").verify().healthy()).isFalse();
  }

  @Test
  void aChinaRegionCluster_getsArnAwsCnEverywhere() {
    ClusterInfo cluster;
    try {
      cluster = moto.createCluster(CHINA, CLUSTER, CHINA_ISSUER);
    } catch (IllegalStateException e) {
      Assumptions.abort("moto does not support EKS in " + CHINA + ": " + e.getMessage());
      return;
    }
    assertThat(cluster.arn().partition()).isEqualTo(Partition.AWS_CN);
    String account = moto.accountId();

    InstallReport report = china().install();

    String roleArn = "arn:aws-cn:iam::" + account + ":role/" + ROLE;
    assertThat(report.roleArn()).contains(roleArn);
    assertThat(report.oidcProviderArn().orElseThrow())
        .isEqualTo(
            "arn:aws-cn:iam::"
                + account
                + ":oidc-provider/oidc.eks.cn-northwest-1.amazonaws.com.cn/id/5C7F2A0E9B4D4E1F8A6B3C2D1E0F9A8B");
    Role role = aws(CHINA).roles().find(ROLE).orElseThrow();
    assertThat(role.arn().toString()).isEqualTo(roleArn);
    assertThat(role.attachedPolicies()).containsExactly(sageMakerPolicy(Partition.AWS_CN));
    TrustPolicy expected =
        TrustPolicy.forServiceAccount(
            OidcIssuer.parse(CHINA_ISSUER),
            Partition.AWS_CN,
            account,
            ServiceAccountRef.operatorDefault());
    assertThat(role.trustPolicy().sameAs(expected)).as(role.trustPolicy().toJson()).isTrue();
    assertThat(role.trustPolicy().toCompactJson())
        .contains("\"arn:aws-cn:iam::" + account + ":oidc-provider/")
        .contains(":aud\":\"sts.amazonaws.com\"")
        .doesNotContain("arn:aws:");
    assertThat(aws(CHINA).oidcProviders().list())
        .singleElement()
        .satisfies(a -> assertThat(a.partition()).isEqualTo(Partition.AWS_CN));
    assertThat(kubernetes.get(SA).orElseThrow().annotations())
        .containsEntry(ManifestPatch.ROLE_ARN_ANNOTATION, roleArn);
    assertThat(china().verify().healthy()).isTrue();
    calls.clear();
    assertThat(china().install().changed()).isFalse();
    assertThat(calls.writes()).isEmpty();

    china().uninstall();
    assertThat(aws(CHINA).roles().find(ROLE)).isEmpty();
    assertThat(aws(CHINA).oidcProviders().list()).isEmpty();
  }
}
