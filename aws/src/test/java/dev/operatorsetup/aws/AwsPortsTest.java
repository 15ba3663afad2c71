package dev.operatorsetup.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.spi.AwsServicesProvider;
import dev.operatorsetup.testkit.ServiceTrust;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

class AwsPortsTest {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));

  private static final String CALLER =
      "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
          + "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn>"
          + "<UserId>AIDAALICE</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
          + "<ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata>"
          + "</GetCallerIdentityResponse>";

  private static AwsPorts.Builder against(StubAwsEndpoint stub) {
    return AwsPorts.builder()
        .region("us-west-2")
        .credentialsProvider(CREDENTIALS)
        .endpointOverride(stub.uri());
  }

  @Test
  void build_withoutRegion_orWithProfileAndCredentials_isInvalid() {
    assertThatThrownBy(() -> AwsPorts.builder().build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("region");
    assertThatThrownBy(
            () ->
                AwsPorts.builder()
                    .region("us-west-2")
                    .profile("p")
                    .credentialsProvider(CREDENTIALS)
                    .build())
        .isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> AwsPorts.builder().region("us-iso-east-1"))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void partition_followsTheRegion() {
    try (AwsPorts cn =
            AwsPorts.builder().region("cn-north-1").credentialsProvider(CREDENTIALS).build();
        AwsPorts gov =
            AwsPorts.builder().region("us-gov-east-1").credentialsProvider(CREDENTIALS).build()) {
      assertThat(cn.partition()).isEqualTo(Partition.AWS_CN);
      assertThat(gov.partition()).isEqualTo(Partition.AWS_US_GOV);
    }
  }

  @Test
  void iamRequests_areSignedForThePartitionsGlobalRegion_stsForTheRegion() throws Exception {
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    r.body().contains("Action=GetCallerIdentity")
                        ? StubAwsEndpoint.Answer.xml(200, CALLER)
                        : StubAwsEndpoint.Answer.iamError(404, "NoSuchEntity", "none"));
        AwsPorts ports = against(stub).region("cn-northwest-1").build()) {
      assertThat(ports.roles().find("missing")).isEmpty();
      ports.callerIdentity().get();

      assertThat(stub.requests().get(0).authorization()).contains("/cn-north-1/iam/aws4_request");
      assertThat(stub.requests().get(1).authorization())
          .contains("/cn-northwest-1/sts/aws4_request");
    }
  }

  @Test
  void accessDenied_fromIam_isPermissionDeniedForTheAction_andNotRetried() throws Exception {
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    StubAwsEndpoint.Answer.iamError(
                        403,
                        "AccessDenied",
                        "User: arn:aws:iam::123456789012:user/alice is not authorized to perform:"
                            + " iam:CreateRole on resource: arn:aws:iam::123456789012:role/sm"));
        AwsPorts ports = against(stub).build()) {
      assertThatThrownBy(
              () ->
                  ports
                      .roles()
                      .create(
                          new RoleSpec.Builder().name("sm").build(), ServiceTrust.ec2(), Map.of()))
          .isInstanceOfSatisfying(
              PermissionDeniedException.class,
              e -> {
                assertThat(e.action()).isEqualTo("iam:CreateRole");
                assertThat(e.principal()).isEqualTo("arn:aws:iam::123456789012:user/alice");
                assertThat(e.getCause())
                    .isInstanceOf(software.amazon.awssdk.services.iam.model.IamException.class);
              });
      assertThat(stub.count("CreateRole")).isEqualTo(1);
    }
  }

  /**
   * One retry budget: the SDK clients make one attempt per call and the engine's retry is the only
   * one, so a call that always fails with 503 reaches the service once per port call.
   */
  @Test
  void serverErrors_areOneAttemptPerCall_andRetryable() throws Exception {
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r -> StubAwsEndpoint.Answer.iamError(503, "ServiceUnavailable", "down"));
        AwsPorts ports = against(stub).build()) {
      assertThatThrownBy(() -> ports.policies().find(RoleSpec.defaultPolicy(Partition.AWS)))
          .isInstanceOfSatisfying(
              OperatorSetupException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).isEmpty();
                assertThat(e.getMessage()).contains("iam:GetPolicy").contains("HTTP 503");
              });
      assertThat(stub.requests()).as("one HTTP attempt, no SDK retry").hasSize(1);
      assertThat(ports.callCounts().reads("iam")).isEqualTo(1);
    }
  }

  @Test
  void throttlingWithRetryAfter_isOneAttempt_retryableAfterTheServicesDelay() throws Exception {
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    StubAwsEndpoint.Answer.iamError(429, "Throttling", "Rate exceeded")
                        .withHeader("Retry-After", "7"));
        AwsPorts ports = against(stub).build()) {
      assertThatThrownBy(() -> ports.roles().find("r"))
          .isInstanceOfSatisfying(
              OperatorSetupException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                assertThat(e.getMessage()).contains("throttled").contains("iam:GetRole");
              });
      assertThat(stub.count("GetRole")).isEqualTo(1);
    }
  }

  @Test
  void throttlingOfStsAndEks_isOneAttemptEach() throws Exception {
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    r.path().startsWith("/clusters/")
                        ? StubAwsEndpoint.Answer.json(
                                429,
                                "{\"__type\":\"ThrottlingException\",\"message\":\"slow down\"}")
                            .withHeader("x-amzn-ErrorType", "ThrottlingException")
                            .withHeader("Retry-After", "2")
                        : StubAwsEndpoint.Answer.iamError(503, "ServiceUnavailable", "down"));
        AwsPorts ports = against(stub).build()) {
      assertThatThrownBy(() -> ports.callerIdentity().get())
          .isInstanceOfSatisfying(
              OperatorSetupException.class, e -> assertThat(e.retryable()).isTrue());
      assertThatThrownBy(() -> ports.clusters().describe("ml"))
          .isInstanceOfSatisfying(
              OperatorSetupException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
              });
      assertThat(stub.count("GetCallerIdentity")).isEqualTo(1);
      assertThat(stub.requests()).hasSize(2);
    }
  }

  @Test
  void callCounts_countReadsAndWritesPerService_andTellTheListener() throws Exception {
    List<String> heard = new ArrayList<>();
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    r.body().contains("Action=GetCallerIdentity")
                        ? StubAwsEndpoint.Answer.xml(200, CALLER)
                        : StubAwsEndpoint.Answer.iamError(400, "ValidationError", "no"));
        AwsPorts ports =
            against(stub)
                .callListener((s, o, w) -> heard.add(s + ":" + o + (w ? " (write)" : "")))
                .build()) {
      assertThat(ports.callerIdentity().get().account()).isEqualTo("123456789012");
      assertThat(ports.callerIdentity().get().arn())
          .isEqualTo("arn:aws:iam::123456789012:user/alice");
      assertThatThrownBy(() -> ports.roles().delete("r"))
          .isInstanceOf(InvalidConfigurationException.class);

      AwsCallCounts counts = ports.callCounts();
      assertThat(counts.reads("sts")).isEqualTo(2);
      assertThat(counts.writes("iam")).isEqualTo(1);
      assertThat(counts.reads()).isEqualTo(2);
      assertThat(counts.writes()).isEqualTo(1);
      assertThat(counts.toString()).isEqualTo("iam 0r/1w, sts 2r/0w");
      assertThat(heard)
          .containsExactly(
              "sts:GetCallerIdentity", "sts:GetCallerIdentity", "iam:DeleteRole (write)");
    }
  }

  @Test
  void close_leavesClientsPassedInOpen() {
    AtomicBoolean iamClosed = new AtomicBoolean();
    AtomicBoolean eksClosed = new AtomicBoolean();
    AtomicBoolean stsClosed = new AtomicBoolean();
    IamClient iam =
        new IamClient() {
          @Override
          public String serviceName() {
            return "iam";
          }

          @Override
          public void close() {
            iamClosed.set(true);
          }
        };
    EksClient eks =
        new EksClient() {
          @Override
          public String serviceName() {
            return "eks";
          }

          @Override
          public void close() {
            eksClosed.set(true);
          }
        };
    StsClient sts =
        new StsClient() {
          @Override
          public String serviceName() {
            return "sts";
          }

          @Override
          public void close() {
            stsClosed.set(true);
          }
        };

    AwsPorts.builder()
        .region("us-west-2")
        .iamClient(iam)
        .eksClient(eks)
        .stsClient(sts)
        .build()
        .close();

    assertThat(iamClosed).isFalse();
    assertThat(eksClosed).isFalse();
    assertThat(stsClosed).isFalse();
  }

  @Test
  void serviceLoader_findsTheProvider() {
    List<AwsServicesProvider> providers = new ArrayList<>();
    ServiceLoader.load(AwsServicesProvider.class).forEach(providers::add);

    assertThat(providers).hasAtLeastOneElementOfType(SdkAwsServicesProvider.class);
  }

  @Test
  void consistencyTimeout_mustBePositive() {
    assertThatThrownBy(() -> AwsPorts.builder().consistencyTimeout(Duration.ZERO))
        .isInstanceOf(InvalidConfigurationException.class);
  }
}
