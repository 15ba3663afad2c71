package dev.operatorsetup.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A v1 CRD with a structural schema on the real API server: valid custom resources are accepted
 * (and defaulted), malformed ones are rejected with HTTP 422, which becomes an {@link
 * InvalidConfigurationException} naming the object and the field.
 */
@RequiresControlPlane
class CustomResourceSchemaIT {
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String group = "s" + id + ".schema.operator-setup.dev";
  private final String ns = "schema-" + id;
  private Kubernetes k;

  @BeforeEach
  void crd(ControlPlane plane) {
    k = KubernetesPorts.fromKubeconfig(plane.kubeconfig());
    k.apply(
        KubeObject.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + ns
                + "\"}}"),
        "schema-it",
        false);
    k.apply(
        KubeObject.parse(
            """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"trainingjobs.%1$s"},
             "spec":{"group":"%1$s","scope":"Namespaced",
              "names":{"kind":"TrainingJob","plural":"trainingjobs"},
              "versions":[{"name":"v1","served":true,"storage":true,
               "schema":{"openAPIV3Schema":{"type":"object","properties":{
                "spec":{"type":"object","required":["roleArn","instanceCount"],"properties":{
                 "roleArn":{"type":"string",
                  "pattern":"^arn:aws[a-z\\\\-]*:iam::\\\\d{12}:role/?[a-zA-Z_0-9+=,.@\\\\-_/]+$"},
                 "instanceCount":{"type":"integer","minimum":1},
                 "region":{"type":"string","default":"us-east-1"},
                 "mode":{"type":"string","enum":["File","Pipe"]}}}}}}}]}}
            """
                .formatted(group)),
        "schema-it",
        false);
    k.awaitCrdEstablished("trainingjobs." + group, Duration.ofSeconds(60));
  }

  @AfterEach
  void cleanUp() {
    k.delete(
        ObjectRef.of(
            "apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "trainingjobs." + group));
    k.delete(ObjectRef.of("v1", "Namespace", null, ns));
    k.close();
  }

  private KubeObject job(String name, String spec) {
    return KubeObject.parse(
        """
        {"apiVersion":"%s/v1","kind":"TrainingJob","metadata":{"name":"%s","namespace":"%s"},
         "spec":%s}
        """
            .formatted(group, name, ns, spec));
  }

  private KubeObject applyEventually(KubeObject o) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return k.apply(o, "schema-it", false);
      } catch (dev.operatorsetup.ResourceNotFoundException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  @Test
  void validCustomResource_isAccepted_andDefaulted() {
    KubeObject stored =
        applyEventually(
            job("ok", "{\"roleArn\":\"arn:aws:iam::123456789012:role/sm\",\"instanceCount\":1}"));

    assertThat(stored.at("/spec/instanceCount").asInt()).isEqualTo(1);
    assertThat(stored.at("/spec/region").asText()).isEqualTo("us-east-1");
    assertThat(k.listCustomResources("trainingjobs." + group))
        .extracting(KubeObject::name)
        .containsExactly("ok");
  }

  @Test
  void malformedCustomResources_areRejectedWith422_namingTheObjectAndField() {
    applyEventually(
        job("ok", "{\"roleArn\":\"arn:aws:iam::123456789012:role/sm\",\"instanceCount\":1}"));

    assertThatThrownBy(
            () ->
                k.apply(
                    job("badarn", "{\"roleArn\":\"not-an-arn\",\"instanceCount\":1}"),
                    "schema-it",
                    false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("TrainingJob " + ns + "/badarn")
        .hasMessageContaining("spec.roleArn");
    assertThatThrownBy(
            () ->
                k.apply(
                    job(
                        "zero",
                        "{\"roleArn\":\"arn:aws:iam::123456789012:role/sm\",\"instanceCount\":0}"),
                    "schema-it",
                    false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("spec.instanceCount");
    assertThatThrownBy(
            () ->
                k.apply(
                    job(
                        "mode",
                        "{\"roleArn\":\"arn:aws:iam::123456789012:role/sm\",\"instanceCount\":1,\"mode\":\"Stream\"}"),
                    "schema-it",
                    false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("spec.mode");
    assertThatThrownBy(() -> k.apply(job("norole", "{\"instanceCount\":1}"), "schema-it", false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("spec.roleArn");
    assertThat(k.listCustomResources("trainingjobs." + group))
        .extracting(KubeObject::name)
        .containsExactly("ok");
  }

  @Test
  void crdWithoutASchema_isRejected_asApiextensionsV1Requires() {
    KubeObject noSchema =
        KubeObject.parse(
            """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"models.%1$s"},
             "spec":{"group":"%1$s","scope":"Namespaced","names":{"kind":"Model","plural":"models"},
              "versions":[{"name":"v1","served":true,"storage":true}]}}
            """
                .formatted(group));

    assertThatThrownBy(() -> k.apply(noSchema, "schema-it", false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("CustomResourceDefinition models." + group)
        .hasMessageContaining("spec.versions[0].schema.openAPIV3Schema: Required value");
  }
}
