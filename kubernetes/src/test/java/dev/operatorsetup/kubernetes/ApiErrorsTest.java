package dev.operatorsetup.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.openapi.models.V1StatusDetails;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {
  private static V1Status status(String message) {
    return new V1Status().message(message);
  }

  @Test
  void conflictOnApply_keepsTheServersFieldsAndManager() {
    OperatorSetupException e =
        ApiErrors.toException(
            409,
            status("Apply failed with 1 conflict: conflict with \"kubectl\": .data.color"),
            "apply",
            "ConfigMap ns/cm",
            "configmaps");

    assertThat(e)
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("ConfigMap ns/cm")
        .hasMessageContaining("conflict with \"kubectl\": .data.color")
        .hasMessageContaining("force")
        .hasCauseInstanceOf(ApiException.class);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void forbidden_namesTheActionAndThePrincipal() {
    OperatorSetupException e =
        ApiErrors.toException(
            403,
            status(
                "customresourcedefinitions.apiextensions.k8s.io \"x\" is forbidden: User"
                    + " \"system:serviceaccount:ns:sa\" cannot patch resource"
                    + " \"customresourcedefinitions\" in API group \"apiextensions.k8s.io\" at the"
                    + " cluster scope"),
            "apply",
            "CustomResourceDefinition x",
            "customresourcedefinitions");

    assertThat(e).isInstanceOf(PermissionDeniedException.class);
    PermissionDeniedException denied = (PermissionDeniedException) e;
    assertThat(denied.action()).isEqualTo("patch customresourcedefinitions");
    assertThat(denied.principal()).isEqualTo("system:serviceaccount:ns:sa");
    assertThat(denied.getCause()).isInstanceOf(ApiException.class);
  }

  @Test
  void forbiddenBecauseTheNamespaceIsTerminating_isAConflict() {
    V1Status s =
        status("unable to create new content in namespace x because it is being terminated")
            .details(
                new V1StatusDetails()
                    .addCausesItem(new V1StatusCause().reason("NamespaceTerminating")));

    assertThat(ApiErrors.toException(403, s, "apply", "ConfigMap x/c", "configmaps"))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("awaitDeleted");
  }

  @Test
  void notFound_invalid_andTypedPatchFailures_mapToTheirExceptions() {
    assertThat(
            ApiErrors.toException(
                404, status("namespaces \"x\" not found"), "apply", "ConfigMap x/c", "configmaps"))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("apply the Namespace first");
    assertThat(
            ApiErrors.toException(
                422,
                status(
                    "Widget.example.com \"w\" is invalid: spec.color: Unsupported value: \"pink\""),
                "apply",
                "Widget ns/w",
                "widgets"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Widget ns/w")
        .hasMessageContaining("spec.color");
    String typed =
        "failed to create typed patch object (ns/w; example.com/v1, Kind=Widget): .spec.x: field"
            + " not declared in schema";
    assertThat(ApiErrors.toException(500, status(typed), "apply", "Widget ns/w", "widgets"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(".spec.x: field not declared in schema");
    assertThat(ApiErrors.retryable(500, typed)).isFalse();
  }

  @Test
  void throttlingAndServerErrors_areRetryable_otherErrorsAreNot() {
    OperatorSetupException busy =
        ApiErrors.toException(429, status("too many requests"), "get", "Pod ns/p", "pods");
    OperatorSetupException down =
        ApiErrors.toException(503, status("unavailable"), "get", "Pod ns/p", "pods");
    OperatorSetupException denied =
        ApiErrors.toException(401, status("Unauthorized"), "get", "Pod ns/p", "pods");

    assertThat(busy.retryable()).isTrue();
    assertThat(down.retryable()).isTrue();
    assertThat(denied.retryable()).isFalse();
    assertThat(denied).hasMessageContaining("rejected the credentials");
    assertThat(ApiErrors.retryable(404)).isFalse();
  }

  @Test
  void anUntrustedCertificate_isNotRetryable_andSaysSo_whileARefusedConnectionIs() {
    OperatorSetupException tls =
        ApiErrors.unreachable(
            "get",
            "Pod ns/p",
            "https://127.0.0.1:6443",
            new java.io.IOException(
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed")));
    assertThat(tls.retryable()).isFalse();
    assertThat(tls)
        .hasMessageContaining("TLS certificate of the API server https://127.0.0.1:6443")
        .hasMessageContaining("certificate-authority-data")
        .hasMessageNotContaining("did not answer");

    OperatorSetupException down =
        ApiErrors.unreachable(
            "get", "Pod ns/p", "https://127.0.0.1:6443", new java.net.ConnectException("refused"));
    assertThat(down.retryable()).isTrue();
    assertThat(down).hasMessageContaining("did not answer");
  }
}
