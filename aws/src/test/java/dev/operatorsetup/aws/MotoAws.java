package dev.operatorsetup.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.testkit.moto.MotoServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * AwsPorts pointed at the shared moto server, one per region, closed together. Registered as a
 * test's extension ({@link #perTest()}), it resets moto before each test and closes after it.
 */
final class MotoAws implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  /** A policy document moto accepts for customer managed policies. */
  static final String POLICY_DOCUMENT =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}]}";

  private final MotoServer moto;
  private final Map<String, AwsPorts> byRegion = new HashMap<>();
  private IamClient iam;
  private AwsCallListener listener;

  MotoAws(MotoServer moto) {
    this.moto = moto;
  }

  /** For {@code @RegisterExtension}: the shared server, reset before each test. */
  static MotoAws perTest() {
    return new MotoAws(MotoServer.shared());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    moto.reset();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  MotoServer moto() {
    return moto;
  }

  /** Makes the ports made from now on tell {@code listener} of every call. */
  synchronized MotoAws callListener(AwsCallListener listener) {
    this.listener = listener;
    return this;
  }

  synchronized AwsPorts ports(String region) {
    return byRegion.computeIfAbsent(
        region,
        r -> {
          AwsPorts.Builder b =
              AwsPorts.builder()
                  .region(r)
                  .credentialsProvider(CREDENTIALS)
                  .endpointOverride(moto.endpoint())
                  .consistencyTimeout(Duration.ofSeconds(10));
          if (listener != null) {
            b.callListener(listener);
          }
          return b.build();
        });
  }

  /** An IAM client of its own, for setting up what the ports do not create. */
  synchronized IamClient iam() {
    if (iam == null) {
      iam =
          IamClient.builder()
              .region(Region.US_EAST_1)
              .credentialsProvider(CREDENTIALS)
              .endpointOverride(moto.endpoint())
              .httpClient(UrlConnectionHttpClient.create())
              .build();
    }
    return iam;
  }

  /** Creates a customer managed policy in the aws partition. */
  Arn createPolicy(String name) {
    String arn =
        iam().createPolicy(b -> b.policyName(name).policyDocument(POLICY_DOCUMENT)).policy().arn();
    Arn parsed = Arn.parsePolicy("policy ARN", arn);
    if (parsed.partition() != Partition.AWS) {
      throw new IllegalStateException("moto made " + arn);
    }
    return parsed;
  }

  @Override
  public synchronized void close() {
    byRegion.values().forEach(AwsPorts::close);
    byRegion.clear();
    if (iam != null) {
      iam.close();
      iam = null;
    }
  }
}
