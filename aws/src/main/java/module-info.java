/**
 * The AWS ports over the AWS SDK for Java 2.x (IAM, EKS, STS, and SageMaker's JSON protocol signed
 * with the SDK's SigV4 signer), found by core through the SPI.
 */
module dev.operatorsetup.aws {
  // AwsPorts' public builders take SDK clients, credentials and a retry strategy.
  requires transitive dev.operatorsetup.core;
  requires transitive software.amazon.awssdk.auth;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.auth.aws;
  requires software.amazon.awssdk.http.auth.spi;
  requires software.amazon.awssdk.identity.spi;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.retries;
  requires transitive software.amazon.awssdk.retries.api;
  requires transitive software.amazon.awssdk.services.eks;
  requires transitive software.amazon.awssdk.services.iam;
  requires transitive software.amazon.awssdk.services.sts;
  requires org.slf4j;

  exports dev.operatorsetup.aws;

  provides dev.operatorsetup.spi.AwsServicesProvider with
      dev.operatorsetup.aws.SdkAwsServicesProvider;
}
