package dev.operatorsetup.kubernetes;

import dev.operatorsetup.model.Partition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * Makes EKS bearer tokens as {@code aws eks get-token} and aws-iam-authenticator do: an STS
 * GetCallerIdentity request presigned in the query string (valid 60 s) with the signed header
 * {@code x-k8s-aws-id: <cluster>}, then {@code k8s-aws-v1.} + base64url (no padding) of the URL.
 * Signing is local; nothing is sent to STS. EKS accepts such a token for 15 minutes after it was
 * signed, so clients refresh it every {@link #REFRESH}.
 */
final class EksTokens {
  static final String PREFIX = "k8s-aws-v1.";
  static final String CLUSTER_HEADER = "x-k8s-aws-id";
  static final Duration URL_EXPIRY = Duration.ofSeconds(60);

  /** How often a client makes a new token: well inside the 15 minutes EKS accepts one. */
  static final Duration REFRESH = Duration.ofMinutes(10);

  private EksTokens() {}

  /**
   * Returns the regional STS host of the region's partition, e.g. sts.cn-north-1.amazonaws.com.cn.
   */
  static String stsHost(String region) {
    return "sts." + region + "." + Partition.ofRegion(region).dnsSuffix();
  }

  /** Returns a fresh token for the cluster, signed with the credentials at the clock's time. */
  static String token(
      AwsCredentialsProvider credentials, String region, String clusterName, Clock clock) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .protocol("https")
            .host(stsHost(region))
            .encodedPath("/")
            .method(SdkHttpMethod.GET)
            .putRawQueryParameter("Action", "GetCallerIdentity")
            .putRawQueryParameter("Version", "2011-06-15")
            .putHeader(CLUSTER_HEADER, clusterName)
            .build();
    String url =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials.resolveCredentials())
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(
                            AwsV4HttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, URL_EXPIRY)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
            .request()
            .getUri()
            .toString();
    return PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(url.getBytes(StandardCharsets.UTF_8));
  }
}
