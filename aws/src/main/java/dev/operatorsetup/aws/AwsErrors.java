package dev.operatorsetup.aws;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK exceptions into this library's exceptions. The message is ours and says what failed,
 * why and what to do; the SDK exception is only ever the cause. Throttling, 5xx and network errors
 * are marked retryable (with the service's {@code Retry-After}, if any): the SDK clients make one
 * attempt, and the engine's retry is the only one (see {@link AwsPorts}).
 */
final class AwsErrors {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.AWS);
  private static final Set<String> ACCESS_DENIED =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnauthorizedOperation",
          "UnauthorizedException",
          "NotAuthorized");
  private static final Set<String> BAD_CREDENTIALS =
      Set.of(
          "InvalidClientTokenId",
          "SignatureDoesNotMatch",
          "IncompleteSignature",
          "InvalidSignatureException",
          "UnrecognizedClientException",
          "ExpiredToken",
          "ExpiredTokenException",
          "InvalidAccessKeyId");
  private static final Set<String> NOT_FOUND =
      Set.of("NoSuchEntity", "NoSuchEntityException", "ResourceNotFoundException", "NotFound");
  private static final Set<String> INVALID_INPUT =
      Set.of(
          "MalformedPolicyDocument",
          "InvalidInput",
          "ValidationError",
          "ValidationException",
          "InvalidParameterException",
          "InvalidParameterValue",
          "InvalidParameterValueException");
  private static final Set<String> THROTTLING =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "RequestLimitExceeded",
          "TooManyRequestsException",
          "RequestThrottled",
          "SlowDown");
  private static final Pattern CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");
  private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]{0,2000})</Message>");
  private static final Pattern PRINCIPAL =
      Pattern.compile("(?:User|Role|Principal|Caller): (arn:[^\\s]+) is not authorized");

  private AwsErrors() {}

  /** Returns the AWS error code of the exception, or an empty string. */
  static String code(SdkException e) {
    if (e instanceof AwsServiceException ase) {
      AwsErrorDetails details = ase.awsErrorDetails();
      if (details != null && details.errorCode() != null) {
        return details.errorCode();
      }
      return fromRawResponse(ase, CODE).orElse("");
    }
    return "";
  }

  /** Returns the message AWS gave, without the SDK's request-id decoration. */
  static String awsMessage(SdkException e) {
    if (e instanceof AwsServiceException ase) {
      AwsErrorDetails details = ase.awsErrorDetails();
      if (details != null && details.errorMessage() != null) {
        return details.errorMessage();
      }
      Optional<String> raw = fromRawResponse(ase, MESSAGE);
      if (raw.isPresent()) {
        return raw.get();
      }
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Reads {@code <Code>} or {@code <Message>} from the raw error body when the SDK could not parse
   * it, e.g. when an emulator wraps query-protocol errors as {@code <Errors><Error>} (EC2 style).
   */
  private static Optional<String> fromRawResponse(AwsServiceException e, Pattern element) {
    AwsErrorDetails details = e.awsErrorDetails();
    if (details == null || details.rawResponse() == null) {
      return Optional.empty();
    }
    Matcher m = element.matcher(details.rawResponse().asUtf8String());
    return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
  }

  static boolean isNotFound(SdkException e) {
    return NOT_FOUND.contains(code(e))
        || e instanceof AwsServiceException ase && ase.statusCode() == 404 && code(e).isEmpty();
  }

  /**
   * Makes a call that reads one resource: empty if AWS says it does not exist, any other error
   * mapped as {@link #map(String, String, SdkException)} does. Logs the call, {@code logged} (e.g.
   * {@code policy=ARN}) and whether it found the resource.
   */
  static <T> Optional<T> find(String action, String logged, String subject, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (SdkException e) {
      if (isNotFound(e)) {
        LOG.debug("call={} {} found=false", action, logged);
        return Optional.empty();
      }
      throw map(action, subject, e);
    }
    LOG.debug("call={} {} found=true", action, logged);
    return Optional.of(response);
  }

  static boolean is(SdkException e, String code) {
    return code.equals(code(e));
  }

  /**
   * Maps an SDK exception of one call.
   *
   * @param action the IAM action, e.g. {@code iam:CreateRole}
   * @param subject what the call was about, e.g. {@code IAM role 'sm-operator'}
   */
  static OperatorSetupException map(String action, String subject, SdkException e) {
    return map(action, subject, null, null, e);
  }

  /**
   * Maps an SDK exception of a call that sent an input AWS may reject as invalid.
   *
   * @param field the input's name for {@link InvalidConfigurationException#field()}
   * @param value the input's value
   */
  static OperatorSetupException map(
      String action, String subject, String field, String value, SdkException e) {
    if (!(e instanceof AwsServiceException ase)) {
      return unanswered(action, subject, e);
    }
    String code = code(e);
    String why = code.isEmpty() ? awsMessage(e) : code + ": " + awsMessage(e);
    OperatorSetupException mapped = identity(action, code, why, e);
    if (mapped == null) {
      mapped = resource(action, subject, code, why, e);
    }
    if (mapped == null) {
      mapped = request(action, subject, field, value, code, why, e);
    }
    if (mapped == null) {
      mapped = transientFailure(action, subject, code, why, ase);
    }
    return mapped != null
        ? mapped
        : new OperatorSetupException(
            "AWS refused " + action + " on " + subject + " (" + why + ").", e, false);
  }

  /** A call AWS did not answer: no credentials (final), or the network (retryable). */
  private static OperatorSetupException unanswered(String action, String subject, SdkException e) {
    String text = String.valueOf(e.getMessage());
    if (text.contains("credentials")) {
      return new OperatorSetupException(
          "Could not call "
              + action
              + ": no AWS credentials were found (the SDK's default chain found none; --debug"
              + " shows where it looked). Fix: set AWS_PROFILE or"
              + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run 'aws configure', or pass a"
              + " credentials provider.",
          e,
          false);
    }
    return new OperatorSetupException(
        "Could not reach AWS for "
            + action
            + " on "
            + subject
            + " ("
            + text
            + "). Fix: check the network, proxy and endpoint, then run again.",
        e,
        true);
  }

  /** AccessDenied and rejected credentials, or null. */
  private static OperatorSetupException identity(
      String action, String code, String why, SdkException e) {
    if (ACCESS_DENIED.contains(code)) {
      return new PermissionDeniedException(action, principal(awsMessage(e)), why, e);
    }
    if (BAD_CREDENTIALS.contains(code)) {
      return new OperatorSetupException(
          "AWS rejected the credentials for "
              + action
              + " ("
              + why
              + "). Fix: refresh or replace the credentials (aws sso login, a new session"
              + " token), and check the clock.",
          e,
          false);
    }
    return null;
  }

  /** A missing or conflicting resource, or null. */
  private static OperatorSetupException resource(
      String action, String subject, String code, String why, SdkException e) {
    if (NOT_FOUND.contains(code) || "PolicyNotAttachable".equals(code)) {
      return new ResourceNotFoundException(
          subject
              + " does not exist or cannot be used ("
              + action
              + " said "
              + why
              + "). Fix: check the name or ARN, its region and partition.",
          e);
    }
    if ("EntityAlreadyExists".equals(code) || "ResourceInUseException".equals(code)) {
      return new ResourceConflictException(
          subject
              + " already exists ("
              + why
              + "). Fix: adopt it, or delete it first, or pick another name.",
          e);
    }
    if ("DeleteConflict".equals(code)) {
      return new ResourceConflictException(
          "Cannot delete "
              + subject
              + " ("
              + why
              + "). Fix: detach its managed policies and delete its inline policies first.",
          e);
    }
    return null;
  }

  /** A quota or an input AWS rejected, or null. */
  private static OperatorSetupException request(
      String action,
      String subject,
      String field,
      String value,
      String code,
      String why,
      SdkException e) {
    if ("LimitExceeded".equals(code) || "LimitExceededException".equals(code)) {
      return new OperatorSetupException(
          action
              + " on "
              + subject
              + " hit an IAM quota ("
              + why
              + "). Fix: remove what the resource does not need, or ask AWS for a higher quota.",
          e,
          false);
    }
    if (INVALID_INPUT.contains(code)) {
      return new InvalidConfigurationException(
          field == null ? subject : field,
          value,
          "AWS rejected it in " + action + " (" + why + ")",
          "correct the input; a trust policy allows only sts: actions and has no Resource");
    }
    return null;
  }

  /**
   * Throttling and 5xx, or null: retryable, with the service's {@code Retry-After} if it sent one.
   * The adapters make one attempt (the SDK clients do not retry); the engine's retry decides.
   */
  private static OperatorSetupException transientFailure(
      String action, String subject, String code, String why, AwsServiceException e) {
    if (THROTTLING.contains(code) || e.isThrottlingException()) {
      return new OperatorSetupException(
          "AWS throttled "
              + action
              + " on "
              + subject
              + " ("
              + why
              + "). Fix: run again later; other tools may be calling the same API.",
          e,
          true,
          retryAfter(e).orElse(null));
    }
    if (e.statusCode() >= 500) {
      return new OperatorSetupException(
          "AWS failed "
              + action
              + " on "
              + subject
              + " with HTTP "
              + e.statusCode()
              + " ("
              + why
              + "). Fix: run again later.",
          e,
          true,
          retryAfter(e).orElse(null));
    }
    return null;
  }

  /**
   * Returns how long the service asked to wait, from the answer's {@code Retry-After} header:
   * delta-seconds or an HTTP date; empty if there is none or it cannot be read.
   */
  static Optional<Duration> retryAfter(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    if (details == null || details.sdkHttpResponse() == null) {
      return Optional.empty();
    }
    return details
        .sdkHttpResponse()
        .firstMatchingHeader("Retry-After")
        .flatMap(v -> parseRetryAfter(v, Instant.now()));
  }

  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      // an HTTP date, below
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration left = Duration.between(now, at);
      return Optional.of(left.isNegative() ? Duration.ZERO : left);
    } catch (DateTimeParseException notADate) {
      return Optional.empty();
    }
  }

  /** Returns the principal ARN an AccessDenied message names, or null. */
  static String principal(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = PRINCIPAL.matcher(message);
    return m.find() ? m.group(1) : null;
  }
}
