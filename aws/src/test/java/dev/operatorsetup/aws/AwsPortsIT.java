package dev.operatorsetup.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.spi.AwsServicesProvider;
import dev.operatorsetup.spi.AwsSettings;
import dev.operatorsetup.testkit.CallLog;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.iam.model.AccessKey;

/** AwsPorts as a whole against moto_server: call counting, AccessDenied, the ServiceLoader path. */
class AwsPortsIT {
  @RegisterExtension final MotoAws aws = MotoAws.perTest();

  private TrustPolicy trust() {
    OidcIssuer issuer =
        OidcIssuer.parse(
            "https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF");
    return TrustPolicy.forServiceAccount(
        issuer, Partition.AWS, aws.moto().accountId(), ServiceAccountRef.operatorDefault());
  }

  @Test
  void callCounts_andTheListener_seeEveryReadAndWrite() {
    CallLog log = new CallLog();
    try (AwsPorts ports =
        AwsPorts.builder()
            .region("us-west-2")
            .credentialsProvider(MotoAws.CREDENTIALS)
            .endpointOverride(aws.moto().endpoint())
            .callListener(log::record)
            .build()) {
      ports.callerIdentity().get();
      ports.clusters().describe("missing");
      ports.roles().create(new RoleSpec.Builder().name("counted").build(), trust(), Map.of());
      ports.roles().attachPolicy("counted", RoleSpec.defaultPolicy(Partition.AWS));
      ports.roles().find("counted");

      AwsCallCounts counts = ports.callCounts();
      assertThat(counts.reads("sts")).isEqualTo(1);
      assertThat(counts.reads("eks")).isEqualTo(1);
      assertThat(counts.writes("iam")).isEqualTo(2); // CreateRole, AttachRolePolicy
      // the waiter's GetRole, then find's GetRole + three List* calls
      assertThat(counts.reads("iam")).isGreaterThanOrEqualTo(5);
      assertThat(log.writes())
          .extracting(CallLog.Call::operation)
          .containsExactly("CreateRole", "AttachRolePolicy");
      assertThat(log.reads("iam")).isEqualTo(counts.reads("iam"));
      assertThat(log.calls()).hasSize((int) (counts.reads() + counts.writes()));
    }
  }

  @Test
  void accessDenied_fromMotosIamAuthorization_isPermissionDeniedNamingActionAndPrincipal() {
    aws.iam().createUser(b -> b.userName("no-permissions"));
    AccessKey key = aws.iam().createAccessKey(b -> b.userName("no-permissions")).accessKey();
    String account = aws.moto().accountId();
    try (AwsPorts denied =
        AwsPorts.builder()
            .region("us-west-2")
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
            .endpointOverride(aws.moto().endpoint())
            .build()) {
      aws.moto().enforceIamAuthorization(true);
      try {
        assertThatThrownBy(
                () ->
                    denied
                        .roles()
                        .create(
                            new RoleSpec.Builder().name("forbidden").build(), trust(), Map.of()))
            .isInstanceOfSatisfying(
                PermissionDeniedException.class,
                e -> {
                  assertThat(e.action()).isEqualTo("iam:CreateRole");
                  assertThat(e.principal())
                      .isEqualTo("arn:aws:iam::" + account + ":user/no-permissions");
                  assertThat(e.getMessage()).contains("Fix: grant iam:CreateRole");
                });
      } finally {
        aws.moto().enforceIamAuthorization(false);
      }
    }
    assertThat(aws.ports("us-west-2").roles().find("forbidden")).isEmpty();
  }

  @Test
  void serviceLoaderProvider_buildsPortsForTheSettingsEndpoint() {
    AwsServicesProvider provider =
        ServiceLoader.load(AwsServicesProvider.class).findFirst().orElseThrow();
    String previousKey = System.setProperty("aws.accessKeyId", "testing");
    String previousSecret = System.setProperty("aws.secretAccessKey", "testing");
    try (AwsServices services =
        provider.create(
            new AwsSettings("us-west-2", Optional.of(aws.moto().endpoint()), Optional.empty()))) {
      assertThat(provider).isInstanceOf(SdkAwsServicesProvider.class);
      assertThat(services.callerIdentity().get().account()).isEqualTo(aws.moto().accountId());
    } finally {
      restore("aws.accessKeyId", previousKey);
      restore("aws.secretAccessKey", previousSecret);
    }
  }

  private static void restore(String key, String previous) {
    if (previous == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, previous);
    }
  }
}
