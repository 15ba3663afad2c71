package dev.operatorsetup.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;

/**
 * What the {@link KubernetesContract} tests share: the implementation under test, each test's own
 * namespace and API group, the objects it created (removed after it), and helpers to build objects
 * and wait.
 */
abstract class KubernetesContractSupport {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String MANAGER = "contract-test";
  static final String OTHER = "contract-other";
  static final Duration SHORT = Duration.ofMillis(1500);

  /** The test's random suffix, in its namespace and API group. */
  final String id = suffix();

  private final Deque<ObjectRef> created = new ArrayDeque<>();
  private String namespace;

  /** Returns the implementation under test; the same instance for the whole test. */
  protected abstract Kubernetes kubernetes();

  /** How long a wait that should succeed may take; a real cluster needs seconds. */
  protected Duration patience() {
    return Duration.ofSeconds(90);
  }

  // ---------------------------------------------------------------------------------------------
  // cleanup

  @AfterEach
  void removeWhatTheTestCreated() {
    Kubernetes k = kubernetes();
    try {
      for (KubeObject left : k.listCustomResources(crdName())) {
        k.removeFinalizers(left.ref());
      }
    } catch (OperatorSetupException ignored) {
      // best effort: the CRD may be gone already
    }
    while (!created.isEmpty()) {
      ObjectRef ref = created.pop();
      try {
        k.removeFinalizers(ref);
        k.delete(ref);
      } catch (OperatorSetupException ignored) {
        // best effort: the test may have deleted it already or left it broken on purpose
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static String suffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** The test's own namespace, created on first use. */
  protected final String namespace() {
    if (namespace == null) {
      namespace = createNamespace("contract-" + id);
    }
    return namespace;
  }

  String createNamespace(String name) {
    KubeObject ns =
        KubeObject.parse(
            """
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"}}
            """
                .formatted(name));
    created.push(ns.ref());
    kubernetes().apply(ns, MANAGER, false);
    return name;
  }

  KubeObject track(KubeObject object) {
    created.push(object.ref());
    return object;
  }

  String group() {
    return "c" + id + ".contract.operator-setup.dev";
  }

  String crdName() {
    return "widgets." + group();
  }

  KubeObject applyWidgetCrd() {
    KubeObject crd =
        KubeObject.parse(
            """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"widgets.%1$s"},
             "spec":{"group":"%1$s","scope":"Namespaced",
              "names":{"kind":"Widget","plural":"widgets","singular":"widget","listKind":"WidgetList"},
              "versions":[{"name":"v1","served":true,"storage":true,
               "subresources":{"status":{}},
               "schema":{"openAPIV3Schema":{"type":"object","properties":{
                "spec":{"type":"object","required":["size"],"properties":{
                 "size":{"type":"integer","minimum":0},
                 "color":{"type":"string","enum":["red","blue"]}}},
                "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}}}]}}
            """
                .formatted(group()));
    track(crd);
    return kubernetes().apply(crd, MANAGER, false);
  }

  KubeObject widget(String name, String ns, int size, String color) {
    return KubeObject.parse(
        """
        {"apiVersion":"%s/v1","kind":"Widget","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"size":%d,"color":"%s"}}
        """
            .formatted(group(), name, ns, size, color));
  }

  /**
   * Applies a custom resource right after its CRD became Established. A real server may need a
   * moment before its discovery serves the new kind, so "no matches for kind" is retried briefly.
   */
  KubeObject applyEventually(KubeObject object) {
    long deadline = System.nanoTime() + patience().toNanos();
    while (true) {
      try {
        return kubernetes().apply(object, MANAGER, false);
      } catch (ResourceNotFoundException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(200);
      }
    }
  }

  KubeObject configMap(String name, Map<String, String> data) {
    String entries =
        data.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
            .collect(Collectors.joining(","));
    return KubeObject.parse(
        """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"%s"},
         "data":{%s}}
        """
            .formatted(name, namespace(), entries));
  }

  ObjectRef configMapRef(String name) {
    return ref("v1", "ConfigMap", namespace(), name);
  }

  KubeObject deployment(String name, String image, int replicas, Map<String, String> labels) {
    String extra =
        labels.entrySet().stream()
            .map(e -> ",\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
            .collect(Collectors.joining());
    return KubeObject.parse(
        """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"%1$s","namespace":"%2$s","labels":{"app":"%1$s"%5$s}},
         "spec":{"replicas":%4$d,"selector":{"matchLabels":{"app":"%1$s"}},
          "template":{"metadata":{"labels":{"app":"%1$s"}},
           "spec":{"containers":[{"name":"main","image":"%3$s"}]}}}}
        """
            .formatted(name, namespace(), image, replicas, extra));
  }

  static void finalizer(ObjectNode object, String name) {
    ((ObjectNode) object.get("metadata")).putArray("finalizers").add(name);
  }

  KubeObject apply(KubeObject object, String manager) {
    return kubernetes().apply(object, manager, false);
  }

  KubeObject get(ObjectRef ref) {
    return kubernetes()
        .get(ref)
        .orElseThrow(() -> new AssertionError(ref.display() + " should exist"));
  }

  static ObjectRef ref(String apiVersion, String kind, String ns, String name) {
    return ObjectRef.of(apiVersion, kind, ns, name);
  }

  static List<String> managers(KubeObject object) {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode m : object.at("/metadata/managedFields")) {
      out.add(m.path("manager").asText() + "/" + m.path("operation").asText());
    }
    return out;
  }

  static String conditionReason(KubeObject object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("reason").asText();
      }
    }
    return null;
  }

  static String conditionStatus(KubeObject object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText();
      }
    }
    return null;
  }

  /**
   * Returns the app's pods once there are exactly {@code count} of them that are not being deleted
   * (a real cluster removes the replaced pods a little after the rollout completes).
   */
  List<KubeObject> podsEventually(String app, int count) {
    AtomicReference<List<KubeObject>> last = new AtomicReference<>(List.of());
    awaitTrue(
        count + " running pods of " + app,
        () -> {
          last.set(kubernetes().listPods(namespace(), Map.of("app", app)));
          return last.get().size() == count
              && last.get().stream()
                  .noneMatch(p -> p.at("/metadata/deletionTimestamp").isTextual());
        });
    return last.get();
  }

  static Set<String> podNames(List<KubeObject> pods) {
    Set<String> names = new HashSet<>();
    pods.forEach(p -> names.add(p.name()));
    return names;
  }

  void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + patience().toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      sleep(100);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
