package dev.operatorsetup.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The token format aws-iam-authenticator's server verifies; no network involved. */
class EksTokensTest {
  private static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

  private static URI decode(String token) {
    assertThat(token).startsWith("k8s-aws-v1.");
    String encoded = token.substring("k8s-aws-v1.".length());
    assertThat(encoded).doesNotContain("=", "+", "/");
    return URI.create(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
  }

  private static Map<String, String> query(URI url) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void token_isAPresignedGetCallerIdentityUrl_thatSignsTheClusterHeader_andExpiresIn60s() {
    URI url = decode(EksTokens.token(CREDENTIALS, "us-west-2", "my-cluster", CLOCK));

    assertThat(url.getScheme()).isEqualTo("https");
    assertThat(url.getHost()).isEqualTo("sts.us-west-2.amazonaws.com");
    assertThat(url.getPath()).isEqualTo("/");
    Map<String, String> q = query(url);
    assertThat(q)
        .containsEntry("Action", "GetCallerIdentity")
        .containsEntry("Version", "2011-06-15")
        .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
        .containsEntry("X-Amz-Expires", "60")
        .containsEntry("X-Amz-Date", "20261128T120000Z")
        .containsEntry("X-Amz-Credential", "AKIDEXAMPLE/20261128/us-west-2/sts/aws4_request");
    assertThat(q.get("X-Amz-SignedHeaders").split(";")).contains("host", "x-k8s-aws-id");
    assertThat(q.get("X-Amz-Signature")).matches("[0-9a-f]{64}");
  }

  @Test
  void signature_isDeterministic_andCoversTheClusterName() {
    String a = EksTokens.token(CREDENTIALS, "us-west-2", "cluster-a", CLOCK);
    String again = EksTokens.token(CREDENTIALS, "us-west-2", "cluster-a", CLOCK);
    String b = EksTokens.token(CREDENTIALS, "us-west-2", "cluster-b", CLOCK);

    assertThat(again).isEqualTo(a);
    assertThat(query(decode(b)).get("X-Amz-Signature"))
        .isNotEqualTo(query(decode(a)).get("X-Amz-Signature"));
  }

  @Test
  void chinaRegion_signsForTheChinaStsHost() {
    URI url = decode(EksTokens.token(CREDENTIALS, "cn-northwest-1", "c", CLOCK));

    assertThat(url.getHost()).isEqualTo("sts.cn-northwest-1.amazonaws.com.cn");
    assertThat(query(url).get("X-Amz-Credential")).endsWith("/cn-northwest-1/sts/aws4_request");
  }

  @Test
  void sessionCredentials_addTheSecurityToken() {
    AwsCredentialsProvider session =
        StaticCredentialsProvider.create(
            AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "session-token"));

    Map<String, String> q = query(decode(EksTokens.token(session, "eu-west-1", "c", CLOCK)));

    assertThat(q).containsEntry("X-Amz-Security-Token", "session-token");
  }

  @Test
  void tokensAreRenewedWellBeforeEksStopsAcceptingThem() {
    assertThat(EksTokens.REFRESH).isLessThan(java.time.Duration.ofMinutes(15));
    assertThat(EksTokens.URL_EXPIRY).isEqualTo(java.time.Duration.ofSeconds(60));
  }
}
