package dev.operatorsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.contract.KubernetesContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryKubernetesTest extends KubernetesContract {
  private final CallLog log = new CallLog();
  private final Faults faults = new Faults();
  private final InMemoryKubernetes kubernetes = new InMemoryKubernetes(log, faults);

  @Override
  protected Kubernetes kubernetes() {
    return kubernetes;
  }

  @Override
  protected Duration patience() {
    return Duration.ofSeconds(5);
  }

  private static KubeObject namespace(String name) {
    return KubeObject.parse(
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}");
  }

  private static KubeObject deployment(String ns, String name, String... images) {
    StringBuilder containers = new StringBuilder();
    for (int i = 0; i < images.length; i++) {
      containers
          .append(i == 0 ? "" : ",")
          .append("{\"name\":\"c")
          .append(i)
          .append("\",\"image\":\"")
          .append(images[i])
          .append("\"}");
    }
    return KubeObject.parse(
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%1$s","namespace":"%2$s"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"%1$s"}},
          "template":{"metadata":{"labels":{"app":"%1$s"}},"spec":{"containers":[%3$s]}}}}
        """
            .formatted(name, ns, containers));
  }

  private static final String LEGACY_CRD =
      """
      {"apiVersion":"apiextensions.k8s.io/v1beta1","kind":"CustomResourceDefinition",
       "metadata":{"name":"trainingjobs.sagemaker.aws.amazon.com"},
       "spec":{"group":"sagemaker.aws.amazon.com","version":"v1","scope":"Namespaced",
        "names":{"kind":"TrainingJob","plural":"trainingjobs"},
        "validation":{"openAPIV3Schema":{"type":"object"}},
        "versions":[{"name":"v1","served":true,"storage":true}]}}
      """;

  @Test
  void legacyCrd_failsByDefault_likeKubernetes122AndLater() {
    assertThatThrownBy(() -> kubernetes.apply(KubeObject.parse(LEGACY_CRD), "m", false))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining(
            "no matches for kind \"CustomResourceDefinition\" in version"
                + " \"apiextensions.k8s.io/v1beta1\"")
        .hasMessageContaining("convert the CustomResourceDefinition to apiextensions.k8s.io/v1");
    assertThat(kubernetes.objects()).noneMatch(o -> o.kind().equals("CustomResourceDefinition"));
  }

  @Test
  void legacyCrd_isServed_whenAskedFor_andDefinesItsKind() {
    kubernetes.serveLegacyCrds(true).version("v1.21.14");
    kubernetes.apply(KubeObject.parse(LEGACY_CRD), "m", false);
    kubernetes.awaitCrdEstablished("trainingjobs.sagemaker.aws.amazon.com", Duration.ofSeconds(1));
    kubernetes.apply(namespace("jobs"), "m", false);

    KubeObject job =
        kubernetes.apply(
            KubeObject.parse(
                """
                {"apiVersion":"sagemaker.aws.amazon.com/v1","kind":"TrainingJob",
                 "metadata":{"name":"j","namespace":"jobs"},"spec":{"anything":"kept"}}
                """),
            "m",
            false);

    assertThat(job.at("/spec/anything").asText()).isEqualTo("kept");
    assertThat(kubernetes.serverInfo().gitVersion()).isEqualTo("v1.21.14");
    assertThat(kubernetes.serverInfo().groupVersions())
        .contains("apiextensions.k8s.io/v1beta1", "sagemaker.aws.amazon.com/v1");
    assertThat(kubernetes.listCustomResources("trainingjobs.sagemaker.aws.amazon.com"))
        .extracting(KubeObject::name)
        .containsExactly("j");
  }

  @Test
  void unpullableImage_keepsPodsWaiting_andRolloutTimesOutNamingDeploymentAndReason() {
    kubernetes.markUnpullable("gcr.io/kubebuilder/kube-rbac-proxy:v0.4.0");
    kubernetes.apply(namespace("op"), "m", false);
    kubernetes.apply(
        deployment("op", "manager", "gcr.io/kubebuilder/kube-rbac-proxy:v0.4.0", "ecr/manager:v1"),
        "m",
        false);

    assertThatThrownBy(() -> kubernetes.awaitRollout("op", "manager", Duration.ofMillis(300)))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("Deployment op/manager")
        .hasMessageContaining("ImagePullBackOff");
    List<KubeObject> pods = kubernetes.listPods("op", Map.of("app", "manager"));
    assertThat(pods).hasSize(1);
    KubeObject pod = pods.get(0);
    assertThat(pod.at("/status/containerStatuses/0/state/waiting/reason").asText())
        .isEqualTo("ImagePullBackOff");
    assertThat(pod.at("/status/containerStatuses/0/ready").asBoolean()).isFalse();
    assertThat(pod.at("/status/containerStatuses/1/ready").asBoolean()).isTrue();
    assertThat(pod.at("/status/phase").asText()).isEqualTo("Pending");
  }

  @Test
  void objects_includesReplicaSetsAndPods_ownedDownFromTheDeployment() {
    kubernetes.apply(namespace("app"), "m", false);
    KubeObject d = kubernetes.apply(deployment("app", "web", "img:1"), "m", false);

    List<KubeObject> all = kubernetes.objects();

    KubeObject rs =
        all.stream().filter(o -> o.kind().equals("ReplicaSet")).findFirst().orElseThrow();
    KubeObject pod = all.stream().filter(o -> o.kind().equals("Pod")).findFirst().orElseThrow();
    assertThat(rs.at("/metadata/ownerReferences/0/uid")).isEqualTo(d.at("/metadata/uid"));
    assertThat(pod.at("/metadata/ownerReferences/0/uid")).isEqualTo(rs.at("/metadata/uid"));
    assertThat(pod.labels()).containsKey("pod-template-hash").containsEntry("app", "web");
    assertThat(all).extracting(KubeObject::name).contains("default", "kube-system");

    kubernetes.delete(d.ref());

    assertThat(kubernetes.objects()).noneMatch(o -> o.kind().equals("Pod"));
    assertThat(kubernetes.objects()).noneMatch(o -> o.kind().equals("ReplicaSet"));
  }

  @Test
  void everyCall_isRecorded_readsAndWritesApart() {
    kubernetes.apply(namespace("logged"), "m", false);
    kubernetes.get(ObjectRef.of("v1", "Namespace", null, "logged"));
    kubernetes.serverInfo();
    kubernetes.listPods("logged", Map.of());
    kubernetes.delete(ObjectRef.of("v1", "Namespace", null, "logged"));

    assertThat(log.calls())
        .extracting(CallLog.Call::operation)
        .containsExactly(
            "apply Namespace logged",
            "get Namespace logged",
            "serverInfo",
            "listPods logged {}",
            "delete Namespace logged");
    assertThat(log.writes("kubernetes")).isEqualTo(2);
    assertThat(log.reads("kubernetes")).isEqualTo(3);
  }

  @Test
  void faultBeforeWrite_leavesNothing_faultAfterWrite_leavesTheObject() {
    faults.failBeforeWrite(1);
    assertThatThrownBy(() -> kubernetes.apply(namespace("before"), "m", false))
        .isInstanceOf(InjectedFault.class);
    assertThat(kubernetes.get(ObjectRef.of("v1", "Namespace", null, "before"))).isEmpty();

    faults.failAfterWrite(1);
    assertThatThrownBy(() -> kubernetes.apply(namespace("after"), "m", false))
        .isInstanceOf(InjectedFault.class);
    assertThat(kubernetes.get(ObjectRef.of("v1", "Namespace", null, "after"))).isPresent();
  }

  @Test
  void await_wakesUpWhenAnotherThreadMakesTheChange() throws Exception {
    kubernetes.apply(namespace("async"), "m", false);
    CompletableFuture<Void> waiting =
        CompletableFuture.runAsync(
            () -> kubernetes.awaitRollout("async", "late", Duration.ofSeconds(10)));
    Thread.sleep(100);
    assertThat(waiting).isNotDone();

    kubernetes.apply(deployment("async", "late", "img:1"), "m", false);

    waiting.get(5, TimeUnit.SECONDS);
  }

  @Test
  void conflict_onAContainerImage_namesTheContainerAndField() {
    kubernetes.apply(namespace("c"), "m", false);
    kubernetes.apply(deployment("c", "web", "img:1"), "first", false);

    assertThatThrownBy(() -> kubernetes.apply(deployment("c", "web", "img:2"), "second", false))
        .hasMessageContaining(".spec.template.spec.containers[name=\"c0\"].image")
        .hasMessageContaining("conflict with \"first\"");
  }

  @Test
  void conflicts_areReportedInTheRealServersFormat() {
    kubernetes.apply(namespace("f"), "m", false);
    String cm =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cx\",\"namespace\":\"f\"},"
            + "\"data\":%s}";
    kubernetes.apply(KubeObject.parse(cm.formatted("{\"a\":\"1\",\"b\":\"2\"}")), "m1", false);
    kubernetes.apply(KubeObject.parse(cm.formatted("{\"c\":\"3\"}")), "m3", false);

    assertThatThrownBy(
            () -> kubernetes.apply(KubeObject.parse(cm.formatted("{\"a\":\"9\"}")), "m2", false))
        .hasMessageContaining("Apply failed with 1 conflict: conflict with \"m1\": .data.a");
    assertThatThrownBy(
            () ->
                kubernetes.apply(
                    KubeObject.parse(cm.formatted("{\"a\":\"9\",\"b\":\"9\",\"c\":\"9\"}")),
                    "m2",
                    false))
        .hasMessageContaining(
            "Apply failed with 3 conflicts: conflicts with \"m1\":\n- .data.a\n- .data.b\n"
                + "conflicts with \"m3\":\n- .data.c");
  }

  @Test
  void crd_withoutSchema_isInvalid_asInApiextensionsV1() {
    KubeObject crd =
        KubeObject.parse(
            """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"things.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced",
              "names":{"kind":"Thing","plural":"things"},
              "versions":[{"name":"v1","served":true,"storage":true}]}}
            """);

    assertThatThrownBy(() -> kubernetes.apply(crd, "m", false))
        .isInstanceOf(dev.operatorsetup.InvalidConfigurationException.class)
        .hasMessageContaining("spec.versions[0].schema.openAPIV3Schema: Required value");
  }

  @Test
  void managedFields_useTheFieldsV1Layout() {
    kubernetes.apply(namespace("mf"), "m", false);
    KubeObject d = kubernetes.apply(deployment("mf", "web", "img:1"), "m", false);

    var fields = d.at("/metadata/managedFields/0/fieldsV1");

    assertThat(fields.at("/f:spec/f:template/f:spec/f:containers").has("k:{\"name\":\"c0\"}"))
        .isTrue();
    assertThat(fields.at("/f:spec/f:replicas").isObject()).isTrue();
  }
}
