package dev.operatorsetup.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.testkit.CallLog;
import dev.operatorsetup.testkit.Faults;
import dev.operatorsetup.testkit.Recorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the account keeps, seen from inside (the contract suites see only the ports). */
class AwsAccountTest {
  private static final OidcIssuer ISSUER =
      OidcIssuer.parse(
          "https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF");

  private final AwsAccount aws = new AwsAccount();
  private final AwsServices services =
      aws.services("us-west-2", service -> new Recorder(service, new CallLog(), new Faults()));

  private TrustPolicy trust() {
    return TrustPolicy.forServiceAccount(
        ISSUER, Partition.AWS, aws.account(), ServiceAccountRef.operatorDefault());
  }

  @Test
  void trustPolicy_isStoredUrlEncoded_asIamReturnsIt() {
    services
        .oidcProviders()
        .create(ISSUER.url(), List.of("sts.amazonaws.com"), List.of(), Map.of());
    services.roles().create(new RoleSpec.Builder().name("r1").build(), trust(), Map.of());

    synchronized (aws) {
      assertThat(aws.roles.get("r1").trustEncoded)
          .startsWith("%7B%22Version%22")
          .doesNotContain("\"");
    }
    assertThat(services.roles().find("r1").orElseThrow().trustPolicy().sameAs(trust())).isTrue();
  }
}
