package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.KubeObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The {@link KubernetesContract} tests of CRDs and custom resources. */
abstract class KubernetesCrdContract extends KubernetesWorkloadContract {
  // ---------------------------------------------------------------------------------------------
  // CRDs and custom resources

  @Test
  void apply_legacyV1beta1Crd_isNotServed() {
    KubeObject legacy =
        KubeObject.parse(
            """
            {"apiVersion":"apiextensions.k8s.io/v1beta1","kind":"CustomResourceDefinition",
             "metadata":{"name":"gadgets.%1$s"},
             "spec":{"group":"%1$s","version":"v1","scope":"Namespaced",
              "names":{"kind":"Gadget","plural":"gadgets"},
              "versions":[{"name":"v1","served":true,"storage":true}]}}
            """
                .formatted(group()));

    assertThatThrownBy(() -> kubernetes().apply(legacy, MANAGER, false))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("no matches for kind")
        .hasMessageContaining("apiextensions.k8s.io/v1beta1");
  }

  @Test
  void apply_customResourceOfUnknownKind_isNotFound() {
    assertThatThrownBy(() -> apply(widget("w", namespace(), 3, "red"), MANAGER))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("no matches for kind")
        .hasMessageContaining("Widget");
  }

  @Test
  void crd_becomesEstablished_andItsCustomResourcesAreAccepted() {
    KubeObject crd = applyWidgetCrd();
    assertThat(crd.name()).isEqualTo(crdName());

    kubernetes().awaitCrdEstablished(crdName(), patience());

    KubeObject established = get(crd.ref());
    assertThat(conditionStatus(established, "Established")).isEqualTo("True");
    assertThat(conditionStatus(established, "NamesAccepted")).isEqualTo("True");
    assertThat(kubernetes().serverInfo().serves(group() + "/v1")).isTrue();
    KubeObject w = applyEventually(widget("w", namespace(), 3, "red"));
    assertThat(w.at("/spec/size").asInt()).isEqualTo(3);
    assertThat(kubernetes().get(w.ref())).isPresent();
  }

  @Test
  void customResource_violatingTheSchema_isRejected() {
    applyWidgetCrd();
    kubernetes().awaitCrdEstablished(crdName(), patience());
    applyEventually(widget("valid", namespace(), 3, "red"));

    KubeObject wrongType =
        KubeObject.parse(
            """
            {"apiVersion":"%s/v1","kind":"Widget","metadata":{"name":"bad","namespace":"%s"},
             "spec":{"size":"big","color":"red"}}
            """
                .formatted(group(), namespace()));

    assertThatThrownBy(() -> apply(wrongType, MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Widget " + namespace() + "/bad")
        .hasMessageContaining("spec.size");
    assertThatThrownBy(() -> apply(widget("pink", namespace(), 3, "pink"), MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("spec.color");
    assertThat(kubernetes().get(ref(group() + "/v1", "Widget", namespace(), "bad"))).isEmpty();
  }

  @Test
  void customResource_withAFieldTheSchemaDoesNotDeclare_isRejected() {
    applyWidgetCrd();
    kubernetes().awaitCrdEstablished(crdName(), patience());
    applyEventually(widget("fine", namespace(), 2, "blue"));
    KubeObject extra =
        widget("extra", namespace(), 2, "blue")
            .edit(w -> ((ObjectNode) w.get("spec")).put("unknownField", "x"));

    // server-side apply does not prune (only create and update do): it refuses the object
    assertThatThrownBy(() -> apply(extra, MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Widget " + namespace() + "/extra")
        .hasMessageContaining(".spec.unknownField: field not declared in schema");
    assertThat(kubernetes().get(ref(group() + "/v1", "Widget", namespace(), "extra"))).isEmpty();
  }

  @Test
  void apply_builtInObjectWithAMisspelledField_isRejected() {
    KubeObject typo =
        configMap("typo", Map.of("a", "1"))
            .edit(c -> ((ObjectNode) c.get("metadata")).putObject("lables").put("app", "x"));

    assertThatThrownBy(() -> apply(typo, MANAGER))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("ConfigMap " + namespace() + "/typo")
        .hasMessageContaining(".metadata.lables: field not declared in schema");
    assertThat(kubernetes().get(configMapRef("typo"))).isEmpty();
  }

  @Test
  void apply_managerThatStopsApplyingEverything_leavesNoEmptyMapsAndNoManagedFieldsEntry() {
    apply(
        configMap("bare", Map.of("a", "1"))
            .edit(c -> ((ObjectNode) c.get("metadata")).putObject("labels").put("app", "x")),
        MANAGER);

    KubeObject bare =
        apply(
            KubeObject.parse(
                """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bare","namespace":"%s"}}
                """
                    .formatted(namespace())),
            MANAGER);

    assertThat(bare.at("/data").isMissingNode()).isTrue();
    assertThat(bare.at("/metadata/labels").isMissingNode()).isTrue();
    assertThat(managers(bare)).doesNotContain(MANAGER + "/Apply");
  }

  @Test
  void listCustomResources_findsThemInEveryNamespace() {
    applyWidgetCrd();
    kubernetes().awaitCrdEstablished(crdName(), patience());
    String second = createNamespace("contract-" + id + "-b");
    applyEventually(widget("one", namespace(), 1, "red"));
    applyEventually(widget("two", second, 2, "blue"));

    List<KubeObject> all = kubernetes().listCustomResources(crdName());

    assertThat(all)
        .extracting(o -> o.namespace().orElse("") + "/" + o.name())
        .containsExactlyInAnyOrder(namespace() + "/one", second + "/two");
    assertThat(all).allSatisfy(o -> assertThat(o.kind()).isEqualTo("Widget"));
  }

  @Test
  void listCustomResources_ofAMissingCrd_isEmpty() {
    assertThat(kubernetes().listCustomResources("nothings." + group())).isEmpty();
  }

  @Test
  void deletingACrd_deletesItsCustomResources() {
    KubeObject crd = applyWidgetCrd();
    kubernetes().awaitCrdEstablished(crdName(), patience());
    KubeObject w = applyEventually(widget("doomed", namespace(), 1, "red"));

    assertThat(kubernetes().delete(crd.ref())).isTrue();
    kubernetes().awaitDeleted(crd.ref(), patience());

    assertThat(kubernetes().get(w.ref())).isEmpty();
    assertThat(kubernetes().listCustomResources(crdName())).isEmpty();
  }

  @Test
  void awaitCrdEstablished_ofAMissingCrd_timesOutNamingIt() {
    assertThatThrownBy(() -> kubernetes().awaitCrdEstablished("nothings." + group(), SHORT))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("nothings." + group())
        .satisfies(
            e ->
                assertThat(((WaitTimeoutException) e).waitingFor())
                    .contains("nothings." + group()));
  }

  @Test
  void awaits_stopWhenTheThreadIsInterrupted_andKeepTheInterruptFlag() throws Exception {
    String crd = "nothings." + group();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                kubernetes().awaitCrdEstablished(crd, Duration.ofMinutes(2));
              } catch (RuntimeException e) {
                thrown.set(e);
              }
              flag.set(Thread.currentThread().isInterrupted());
            });
    waiter.start();
    Thread.sleep(300);
    waiter.interrupt();
    waiter.join(10_000);

    assertThat(waiter.isAlive()).isFalse();
    assertThat(thrown.get())
        .isInstanceOf(OperatorSetupException.class)
        .isNotInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("Interrupted")
        .hasMessageContaining(crd);
    assertThat(flag.get()).isTrue();
  }
}
