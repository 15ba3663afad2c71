package dev.operatorsetup.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.model.EksException;
import software.amazon.awssdk.services.iam.model.IamException;

class AwsErrorsTest {
  private static IamException iam(int status, String code, String message) {
    return (IamException)
        IamException.builder()
            .statusCode(status)
            .message(message)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage(message)
                    .serviceName("Iam")
                    .build())
            .build();
  }

  @Test
  void accessDenied_isPermissionDenied_withActionAndThePrincipalFromTheMessage() {
    SdkException e =
        iam(
            403,
            "AccessDenied",
            "User: arn:aws:sts::123456789012:assumed-role/dev/alice is not authorized to perform:"
                + " iam:CreateRole on resource: arn:aws:iam::123456789012:role/sm because no"
                + " identity-based policy allows the iam:CreateRole action");

    OperatorSetupException mapped = AwsErrors.map("iam:CreateRole", "IAM role 'sm'", e);

    assertThat(mapped).isInstanceOf(PermissionDeniedException.class).hasCause(e);
    PermissionDeniedException denied = (PermissionDeniedException) mapped;
    assertThat(denied.action()).isEqualTo("iam:CreateRole");
    assertThat(denied.principal()).isEqualTo("arn:aws:sts::123456789012:assumed-role/dev/alice");
    assertThat(denied.getMessage()).startsWith("Not allowed to iam:CreateRole as arn:aws:sts::");
    assertThat(denied.retryable()).isFalse();
  }

  @Test
  void accessDenied_withoutAPrincipalInTheMessage_leavesItUnknown() {
    OperatorSetupException mapped =
        AwsErrors.map("eks:DescribeCluster", "cluster", iam(403, "AccessDeniedException", "no"));

    assertThat(((PermissionDeniedException) mapped).principal()).isNull();
    assertThat(mapped.getMessage()).contains("the current principal");
  }

  @Test
  void noSuchEntity_isNotFound_entityAlreadyExistsAndDeleteConflict_areConflicts() {
    assertThat(AwsErrors.map("iam:GetPolicy", "IAM policy p", iam(404, "NoSuchEntity", "x")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageStartingWith("IAM policy p does not exist");
    assertThat(
            AwsErrors.map("iam:CreateRole", "IAM role 'r'", iam(409, "EntityAlreadyExists", "x")))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("already exists");
    assertThat(AwsErrors.map("iam:DeleteRole", "IAM role 'r'", iam(409, "DeleteConflict", "x")))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("DeleteConflict")
        .hasMessageContaining("detach");
  }

  @Test
  void limitExceeded_isAClearNonRetryableError() {
    OperatorSetupException mapped =
        AwsErrors.map(
            "iam:AttachRolePolicy",
            "IAM role 'r'",
            iam(409, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10"));

    assertThat(mapped.getClass()).isEqualTo(OperatorSetupException.class);
    assertThat(mapped.retryable()).isFalse();
    assertThat(mapped.getMessage())
        .contains("LimitExceeded: Cannot exceed quota for PoliciesPerRole: 10")
        .contains("Fix:");
  }

  @Test
  void malformedPolicyDocument_isInvalidConfiguration_namingTheInput() {
    OperatorSetupException mapped =
        AwsErrors.map(
            "iam:UpdateAssumeRolePolicy",
            "IAM role 'r'",
            "trust policy",
            "{}",
            iam(400, "MalformedPolicyDocument", "Syntax errors in policy."));

    assertThat(mapped).isInstanceOf(InvalidConfigurationException.class);
    assertThat(((InvalidConfigurationException) mapped).field()).isEqualTo("trust policy");
    assertThat(mapped.getMessage()).contains("MalformedPolicyDocument: Syntax errors in policy.");
  }

  @Test
  void throttlingAnd5xx_areRetryable() {
    assertThat(
            AwsErrors.map("iam:GetRole", "r", iam(400, "Throttling", "Rate exceeded")).retryable())
        .isTrue();
    assertThat(
            AwsErrors.map("iam:GetRole", "r", iam(503, "ServiceUnavailable", "down")).retryable())
        .isTrue();
    assertThat(AwsErrors.map("iam:GetRole", "r", iam(400, "ValidationError", "bad")).retryable())
        .isFalse();
  }

  @Test
  void retryAfter_isDeltaSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(AwsErrors.parseRetryAfter("3", now)).contains(Duration.ofSeconds(3));
    assertThat(AwsErrors.parseRetryAfter(" 0 ", now)).contains(Duration.ZERO);
    assertThat(AwsErrors.parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now))
        .contains(Duration.ofSeconds(10));
    assertThat(AwsErrors.parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now))
        .contains(Duration.ZERO);
    assertThat(AwsErrors.parseRetryAfter("-1", now)).isEmpty();
    assertThat(AwsErrors.parseRetryAfter("soon", now)).isEmpty();
  }

  @Test
  void clientErrors_areRetryable_butMissingCredentialsAreNot() {
    OperatorSetupException network =
        AwsErrors.map(
            "sts:GetCallerIdentity",
            "the current credentials",
            SdkClientException.create("Unable to execute HTTP request: Connection refused"));
    OperatorSetupException noCredentials =
        AwsErrors.map(
            "sts:GetCallerIdentity",
            "the current credentials",
            SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain"));

    assertThat(network.retryable()).isTrue();
    assertThat(network.getMessage()).contains("Could not reach AWS");
    assertThat(noCredentials.retryable()).isFalse();
    assertThat(noCredentials.getMessage()).contains("no AWS credentials were found");
  }

  @Test
  void eksResourceNotFound_isRecognisedAsNotFound() {
    EksException e =
        (EksException)
            EksException.builder()
                .statusCode(404)
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("ResourceNotFoundException")
                        .errorMessage("No cluster found for name: x.")
                        .build())
                .build();

    assertThat(AwsErrors.isNotFound(e)).isTrue();
    assertThat(AwsErrors.isNotFound(iam(400, "ValidationError", "x"))).isFalse();
  }

  @Test
  void anErrorBodyTheSdkCouldNotParse_isReadForItsCodeAndMessage() {
    String body =
        "<?xml version=\"1.0\"?><ErrorResponse><Errors><Error><Code>AccessDenied</Code>"
            + "<Message>User: arn:aws:iam::123456789012:user/np is not authorized to perform:"
            + " iam:CreateRole</Message><Type>Sender</Type></Error></Errors></ErrorResponse>";
    IamException e =
        (IamException)
            IamException.builder()
                .statusCode(403)
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .rawResponse(software.amazon.awssdk.core.SdkBytes.fromUtf8String(body))
                        .build())
                .build();

    OperatorSetupException mapped = AwsErrors.map("iam:CreateRole", "IAM role 'x'", e);

    assertThat(mapped).isInstanceOf(PermissionDeniedException.class);
    assertThat(((PermissionDeniedException) mapped).principal())
        .isEqualTo("arn:aws:iam::123456789012:user/np");
  }
}
