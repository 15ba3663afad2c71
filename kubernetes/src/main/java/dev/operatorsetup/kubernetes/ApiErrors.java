package dev.operatorsetup.kubernetes;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an API server's error Status into this library's exceptions. The server's message is kept
 * verbatim (it names the fields of a conflict and their manager, or the invalid fields); the
 * client's {@link ApiException} is only ever the cause.
 */
final class ApiErrors {
  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "User \"([^\"]*)\" cannot ([a-z]+) resource \"([^\"]+)\"(?: in API group \"([^\"]*)\")?");

  private ApiErrors() {}

  /**
   * Returns whether the failure is the server's certificate not being trusted (or not naming the
   * host): a fact about the configuration, never retried.
   */
  static boolean isTlsFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLHandshakeException
          || t instanceof javax.net.ssl.SSLPeerUnverifiedException
          || t instanceof java.security.cert.CertificateException
          || t instanceof java.security.cert.CertPathValidatorException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Returns whether the call may succeed if made again: throttled, or a server-side error. */
  static boolean retryable(int code) {
    return code == 429 || code == 500 || code == 502 || code == 503 || code == 504 || code == 0;
  }

  /**
   * Like {@link #retryable(int)}, except for the HTTP 500 that server-side apply answers for an
   * object that does not fit its type (an undeclared field, a value of the wrong JSON type), which
   * fails the same way every time.
   */
  static boolean retryable(int code, String message) {
    return retryable(code) && !typedPatchFailure(code, message);
  }

  static boolean typedPatchFailure(int code, String message) {
    return code == 500
        && message != null
        && message.contains("failed to create typed patch object");
  }

  /**
   * Maps an error response.
   *
   * @param verb what this library tried, e.g. {@code apply}, {@code delete}
   * @param what the object, e.g. {@code Deployment ns/name}
   * @param plural the resource, e.g. {@code deployments}, used when the server names no action
   */
  static OperatorSetupException toException(
      int code, V1Status status, String verb, String what, String plural) {
    return toException(code, status, verb, what, plural, null);
  }

  /**
   * Maps an error response; a retryable one (429, 5xx) carries {@code retryAfter}, the server's
   * {@code Retry-After}, if it sent one (null if not).
   */
  static OperatorSetupException toException(
      int code, V1Status status, String verb, String what, String plural, Duration retryAfter) {
    String message =
        status == null || status.getMessage() == null || status.getMessage().isBlank()
            ? "HTTP " + code
            : status.getMessage();
    String reason = status == null ? null : status.getReason();
    ApiException cause = new ApiException(code, message);
    String prefix = "Cannot " + verb + " " + what + ": ";
    if (typedPatchFailure(code, message)) {
      return new InvalidConfigurationException(
          "Kubernetes object",
          what,
          message,
          "remove the fields the schema does not declare and give every field a value of its type");
    }
    return switch (code) {
      case 409 -> conflict(prefix, message, cause);
      case 403 -> forbidden(prefix, message, status, verb, plural, cause);
      case 401 ->
          new OperatorSetupException(
              prefix
                  + "the API server rejected the credentials ("
                  + message
                  + "). Fix: refresh the kubeconfig's credentials, or the AWS credentials that"
                  + " sign the EKS token, and check that they map to a Kubernetes user.",
              cause,
              false);
      case 404 ->
          new ResourceNotFoundException(
              prefix
                  + message
                  + (message.contains("namespaces \"")
                      ? ". Fix: apply the Namespace first."
                      : ". Fix: check the name, or apply what it depends on first."),
              cause);
      case 400, 422 ->
          new InvalidConfigurationException(
              "Kubernetes object",
              what,
              message,
              "correct the object so that the API server accepts it");
      case 405 -> notAllowed(prefix, message, reason, cause);
      default -> other(prefix, code, message, reason, cause, retryAfter);
    };
  }

  private static OperatorSetupException conflict(
      String prefix, String message, ApiException cause) {
    return new ResourceConflictException(
        prefix
            + message
            + (message.contains("Apply failed")
                ? ". Fix: leave these fields to their manager (drop them from the object), or"
                    + " apply with force to take them over."
                : ". Fix: read the object again and retry."),
        cause);
  }

  private static OperatorSetupException forbidden(
      String prefix,
      String message,
      V1Status status,
      String verb,
      String plural,
      ApiException cause) {
    if (namespaceTerminating(status, message)) {
      return new ResourceConflictException(
          prefix
              + message
              + ". Fix: wait until the namespace is gone (awaitDeleted), then apply again.",
          cause);
    }
    Matcher m = FORBIDDEN.matcher(message);
    if (m.find()) {
      return new PermissionDeniedException(
          m.group(2) + " " + m.group(3), m.group(1), message, cause);
    }
    return new PermissionDeniedException(verb + " " + plural, null, message, cause);
  }

  private static OperatorSetupException notAllowed(
      String prefix, String message, String reason, ApiException cause) {
    if (message.contains("terminating")) {
      return new ResourceConflictException(
          prefix
              + message
              + ". Fix: wait until the CustomResourceDefinition is gone, then apply it and this"
              + " object again.",
          cause);
    }
    return new OperatorSetupException(prefix + message + " (" + reason + ")", cause, false);
  }

  /** Throttling and server errors (retryable, with the server's Retry-After), or anything else. */
  private static OperatorSetupException other(
      String prefix,
      int code,
      String message,
      String reason,
      ApiException cause,
      Duration retryAfter) {
    boolean retry = retryable(code, message);
    return new OperatorSetupException(
        prefix
            + message
            + (reason == null ? "" : " (" + reason + ")")
            + (retry
                ? ". The API server is overloaded or failing; try again later."
                : ". Fix: check the API server's health and this object."),
        cause,
        retry,
        retry ? retryAfter : null);
  }

  private static boolean namespaceTerminating(V1Status status, String message) {
    if (message.contains("because it is being terminated")) {
      return true;
    }
    if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
      for (V1StatusCause c : status.getDetails().getCauses()) {
        if ("NamespaceTerminating".equals(c.getReason())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The exception for a call that could not reach the API server at all. */
  static OperatorSetupException unreachable(
      String verb, String what, String server, Throwable cause) {
    if (isTlsFailure(cause)) {
      return new OperatorSetupException(
          "Cannot "
              + verb
              + " "
              + what
              + ": the TLS certificate of the API server "
              + server
              + " cannot be verified with the certificate authority and host name operator-setup"
              + " was given ("
              + cause.getMessage()
              + "). Fix: check the certificate-authority-data (or certificate-authority) and the"
              + " server of the kubeconfig context, or the cluster's certificateAuthority in EKS;"
              + " operator-setup does not skip TLS verification.",
          cause,
          false);
    }
    return new OperatorSetupException(
        "Cannot "
            + verb
            + " "
            + what
            + ": the API server "
            + server
            + " did not answer ("
            + cause.getMessage()
            + "). Fix: check the endpoint, the network path to it, and that the cluster is up.",
        cause,
        true);
  }
}
