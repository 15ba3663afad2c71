package dev.operatorsetup.examples.embedding;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.aws.AwsPorts;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An application that embeds the library, run by {@link SdkDebugLogsTest} in a JVM of its own with
 * its own logging settings: it plans an AWS-only install against a local endpoint with session
 * credentials.
 */
public final class EmbeddedApp {
  private EmbeddedApp() {}

  /** Arguments: endpoint URL, access key, secret key, session token. */
  public static void main(String[] args) {
    try (AwsPorts aws =
        AwsPorts.builder()
            .region("us-east-1")
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(args[1], args[2], args[3])))
            .endpointOverride(URI.create(args[0]))
            .build()) {
      OperatorSetup.forCluster("embedded")
          .inRegion("us-east-1")
          .withRole("embedded-operator")
          .withAws(aws)
          .awsOnly()
          .plan();
    } catch (OperatorSetupException e) {
      // The endpoint knows no cluster: the plan ends there, after the signed calls were made.
      System.err.println("plan ended: " + e.getClass().getSimpleName());
    }
  }
}
