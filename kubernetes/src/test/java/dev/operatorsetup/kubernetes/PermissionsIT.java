package dev.operatorsetup.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * RBAC refusals on the real API server become {@link PermissionDeniedException}s that name the
 * refused action and the principal. Also covers a port over an {@link ApiClient} passed in.
 */
@RequiresControlPlane
class PermissionsIT {
  @Test
  void serviceAccountWithoutRights_isDenied_withActionAndPrincipal(ControlPlane plane)
      throws Exception {
    String ns = "perm-" + UUID.randomUUID().toString().substring(0, 8);
    try (Kubernetes admin = KubernetesPorts.fromKubeconfig(plane.kubeconfig())) {
      admin.apply(
          KubeObject.parse(
              "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                  + ns
                  + "\"}}"),
          "permissions-it",
          false);
      try {
        admin.apply(
            KubeObject.parse(
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"nobody\",\"namespace\":\""
                    + ns
                    + "\"}}"),
            "permissions-it",
            false);
        ApiClient adminClient =
            ClientBuilder.kubeconfig(
                    io.kubernetes.client.util.KubeConfig.loadKubeConfig(
                        Files.newBufferedReader(plane.kubeconfig())))
                .build();
        String token =
            new CoreV1Api(adminClient)
                .createNamespacedServiceAccountToken(
                    "nobody",
                    ns,
                    new AuthenticationV1TokenRequest()
                        .spec(
                            new V1TokenRequestSpec().audiences(List.of()).expirationSeconds(600L)))
                .execute()
                .getStatus()
                .getToken();
        ApiClient restricted =
            new ClientBuilder()
                .setBasePath(plane.server().toString())
                .setCertificateAuthority(Files.readAllBytes(plane.caCertificate().orElseThrow()))
                .setAuthentication(new AccessTokenAuthentication(token))
                .build();
        Kubernetes k = KubernetesPorts.fromApiClient(restricted);
        KubeObject crd =
            KubeObject.parse(
                """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"things.perm.operator-setup.dev"},
                 "spec":{"group":"perm.operator-setup.dev","scope":"Namespaced",
                  "names":{"kind":"Thing","plural":"things"},
                  "versions":[{"name":"v1","served":true,"storage":true,
                   "schema":{"openAPIV3Schema":{"type":"object"}}}]}}
                """);

        assertThatThrownBy(() -> k.apply(crd, "permissions-it", false))
            .isInstanceOfSatisfying(
                PermissionDeniedException.class,
                e -> {
                  assertThat(e.action()).isEqualTo("patch customresourcedefinitions");
                  assertThat(e.principal()).isEqualTo("system:serviceaccount:" + ns + ":nobody");
                  assertThat(e.getCause())
                      .isInstanceOf(io.kubernetes.client.openapi.ApiException.class);
                });
        assertThatThrownBy(() -> k.get(ObjectRef.of("v1", "Secret", "kube-system", "anything")))
            .isInstanceOfSatisfying(
                PermissionDeniedException.class,
                e -> assertThat(e.action()).isEqualTo("get secrets"));
        k.close();
        assertThat(restricted.getHttpClient().dispatcher().executorService().isShutdown())
            .isFalse();
      } finally {
        admin.delete(ObjectRef.of("v1", "Namespace", null, ns));
      }
    }
  }
}
