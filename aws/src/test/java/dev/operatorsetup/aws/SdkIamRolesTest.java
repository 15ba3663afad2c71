package dev.operatorsetup.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.testkit.ServiceTrust;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** IAM's eventual consistency, as the adapter copes with it, against a scripted endpoint. */
class SdkIamRolesTest {
  private static final TrustPolicy TRUST = ServiceTrust.ec2();
  private static final Arn POLICY = RoleSpec.defaultPolicy(Partition.AWS);

  private static String roleXml(String operation) {
    String doc =
        URLEncoder.encode(TRUST.toCompactJson(), StandardCharsets.UTF_8).replace("+", "%20");
    return "<"
        + operation
        + "Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><"
        + operation
        + "Result><Role><Path>/</Path><RoleName>fresh</RoleName><RoleId>AROATEST</RoleId>"
        + "<Arn>arn:aws:iam::123456789012:role/fresh</Arn>"
        + "<CreateDate>2026-01-01T00:00:00Z</CreateDate>"
        + "<AssumeRolePolicyDocument>"
        + doc
        + "</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration></Role></"
        + operation
        + "Result><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></"
        + operation
        + "Response>";
  }

  private static StubAwsEndpoint.Answer empty(String operation) {
    return StubAwsEndpoint.Answer.xml(
        200,
        "<"
            + operation
            + "Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata>"
            + "<RequestId>stub</RequestId></ResponseMetadata></"
            + operation
            + "Response>");
  }

  private static StubAwsEndpoint.Answer noSuchRole() {
    return StubAwsEndpoint.Answer.iamError(
        404, "NoSuchEntity", "The role with name fresh cannot be found.");
  }

  private static AwsPorts ports(StubAwsEndpoint stub, Duration consistency) {
    return AwsPorts.builder()
        .region("us-east-1")
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .endpointOverride(stub.uri())
        .consistencyTimeout(consistency)
        .build();
  }

  /** Answers CreateRole, then GetRole as told, then AttachRolePolicy as told. */
  private static Function<StubAwsEndpoint.Request, StubAwsEndpoint.Answer> script(
      int getRoleMisses, int attachMisses, AtomicInteger getRoles, AtomicInteger attaches) {
    return r -> {
      if (r.body().contains("Action=CreateRole")) {
        return StubAwsEndpoint.Answer.xml(200, roleXml("CreateRole"));
      }
      if (r.body().contains("Action=GetRole")) {
        return getRoles.incrementAndGet() <= getRoleMisses
            ? noSuchRole()
            : StubAwsEndpoint.Answer.xml(200, roleXml("GetRole"));
      }
      if (r.body().contains("Action=AttachRolePolicy")) {
        return attaches.incrementAndGet() <= attachMisses
            ? noSuchRole()
            : empty("AttachRolePolicy");
      }
      return StubAwsEndpoint.Answer.iamError(400, "InvalidAction", r.body());
    };
  }

  @Test
  void create_waitsUntilGetRoleSeesTheRole_andReturnsItsDecodedTrust() throws Exception {
    AtomicInteger getRoles = new AtomicInteger();
    try (StubAwsEndpoint stub = new StubAwsEndpoint(script(2, 0, getRoles, new AtomicInteger()));
        AwsPorts ports = ports(stub, Duration.ofSeconds(20))) {
      Role role =
          ports.roles().create(new RoleSpec.Builder().name("fresh").build(), TRUST, Map.of());

      assertThat(getRoles).hasValue(3);
      assertThat(role.trustPolicy().sameAs(TRUST)).isTrue();
      assertThat(role.arn().toString()).isEqualTo("arn:aws:iam::123456789012:role/fresh");
      assertThat(role.maxSessionDurationSeconds()).contains(3600);
    }
  }

  @Test
  void create_keepsWaitingThroughAThrottledGetRole_butNotThroughAccessDenied() throws Exception {
    AtomicInteger getRoles = new AtomicInteger();
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    r.body().contains("Action=GetRole") && getRoles.incrementAndGet() == 1
                        ? StubAwsEndpoint.Answer.iamError(400, "Throttling", "Rate exceeded")
                        : script(0, 0, new AtomicInteger(), new AtomicInteger()).apply(r));
        AwsPorts ports = ports(stub, Duration.ofSeconds(20))) {
      ports.roles().create(new RoleSpec.Builder().name("fresh").build(), TRUST, Map.of());

      assertThat(getRoles).as("the wait polls GetRole again; it is not a retry").hasValue(2);
      assertThat(stub.count("CreateRole")).isEqualTo(1);
    }
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    r.body().contains("Action=GetRole")
                        ? StubAwsEndpoint.Answer.iamError(403, "AccessDenied", "no")
                        : script(0, 0, new AtomicInteger(), new AtomicInteger()).apply(r));
        AwsPorts ports = ports(stub, Duration.ofSeconds(20))) {
      assertThatThrownBy(
              () ->
                  ports
                      .roles()
                      .create(new RoleSpec.Builder().name("fresh").build(), TRUST, Map.of()))
          .isInstanceOf(PermissionDeniedException.class);
      assertThat(stub.count("GetRole")).isEqualTo(1);
    }
  }

  @Test
  void create_whenTheRoleNeverBecomesVisible_timesOutNamingTheRole() throws Exception {
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                script(Integer.MAX_VALUE, 0, new AtomicInteger(), new AtomicInteger()));
        AwsPorts ports = ports(stub, Duration.ofSeconds(1))) {
      assertThatThrownBy(
              () ->
                  ports
                      .roles()
                      .create(new RoleSpec.Builder().name("fresh").build(), TRUST, Map.of()))
          .isInstanceOfSatisfying(
              WaitTimeoutException.class,
              e -> assertThat(e.waitingFor()).contains("IAM role 'fresh'"));
    }
  }

  @Test
  void firstAttachAfterCreate_retriesNoSuchEntityForTheRole() throws Exception {
    AtomicInteger attaches = new AtomicInteger();
    try (StubAwsEndpoint stub = new StubAwsEndpoint(script(0, 2, new AtomicInteger(), attaches));
        AwsPorts ports = ports(stub, Duration.ofSeconds(20))) {
      ports.roles().create(new RoleSpec.Builder().name("fresh").build(), TRUST, Map.of());

      ports.roles().attachPolicy("fresh", POLICY);

      assertThat(attaches).hasValue(3);
    }
  }

  @Test
  void attachToARoleThisProcessDidNotCreate_isNotFoundAtOnce() throws Exception {
    AtomicInteger attaches = new AtomicInteger();
    try (StubAwsEndpoint stub = new StubAwsEndpoint(script(0, 5, new AtomicInteger(), attaches));
        AwsPorts ports = ports(stub, Duration.ofSeconds(20))) {
      assertThatThrownBy(() -> ports.roles().attachPolicy("fresh", POLICY))
          .isInstanceOf(ResourceNotFoundException.class)
          .hasMessageContaining("IAM role 'fresh' does not exist");

      assertThat(attaches).hasValue(1);
    }
  }

  @Test
  void attachOfAMissingPolicy_toANewRole_isNotRetried() throws Exception {
    AtomicInteger attaches = new AtomicInteger();
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r -> {
                  if (r.body().contains("Action=AttachRolePolicy")) {
                    attaches.incrementAndGet();
                    return StubAwsEndpoint.Answer.iamError(
                        404,
                        "NoSuchEntity",
                        "Policy " + POLICY + " does not exist or is not attachable.");
                  }
                  return script(0, 0, new AtomicInteger(), new AtomicInteger()).apply(r);
                });
        AwsPorts ports = ports(stub, Duration.ofSeconds(20))) {
      ports.roles().create(new RoleSpec.Builder().name("fresh").build(), TRUST, Map.of());

      assertThatThrownBy(() -> ports.roles().attachPolicy("fresh", POLICY))
          .isInstanceOf(ResourceNotFoundException.class)
          .hasMessageContaining("does not exist or is not attachable");
      assertThat(attaches).hasValue(1);
    }
  }

  @Test
  void decode_handlesEncodedAndPlainDocuments() {
    assertThat(SdkIamRoles.decode("%7B%22a%22%3A%201%7D")).isEqualTo("{\"a\": 1}");
    assertThat(SdkIamRoles.decode(" {\"a\":1} ")).isEqualTo("{\"a\":1}");
    assertThat(SdkIamRoles.decode(null)).isEmpty();
  }
}
