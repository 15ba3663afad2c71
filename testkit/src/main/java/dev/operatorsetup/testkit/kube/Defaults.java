package dev.operatorsetup.testkit.kube;

import static dev.operatorsetup.testkit.kube.KubeJson.JSON;
import static dev.operatorsetup.testkit.kube.KubeJson.objectAt;
import static dev.operatorsetup.testkit.kube.KubeJson.putIfAbsent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Defaulting as the real API server's registry strategies do it for the built-in kinds ({@code
 * spec.replicas: 1}, a Service's clusterIP, a pod's restartPolicy, ...), and for custom resources
 * from their structural schema's {@code default}s.
 */
final class Defaults {
  private final ObjectStore store;

  Defaults(ObjectStore store) {
    this.store = store;
  }

  /** Fills in the {@code default}s of a custom resource's schema, for every top-level field. */
  static void fromSchema(KubeKind k, ObjectNode obj) {
    if (k.builtIn() || k.schema() == null) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it =
            k.schema().path("properties").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      if (!p.getKey().equals("metadata")
          && !p.getKey().equals("apiVersion")
          && !p.getKey().equals("kind")) {
        if (!obj.has(p.getKey()) && p.getValue().has("default")) {
          obj.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
        if (obj.has(p.getKey())) {
          KubeSchemas.applyDefaults(obj.get(p.getKey()), p.getValue());
        }
      }
    }
  }

  /** Fills in what the server defaults in an object of a built-in kind. */
  void apply(KubeKind k, ObjectNode obj) {
    if (!k.builtIn()) {
      return;
    }
    switch (k.kind()) {
      case "Namespace" -> namespace(obj);
      case "Deployment" -> deployment(obj);
      case "ReplicaSet" -> podSpec(objectAt(objectAt(objectAt(obj, "spec"), "template"), "spec"));
      case "Pod" -> podSpec(objectAt(obj, "spec"));
      case "Service" -> service(obj);
      case "Secret" -> putIfAbsent(obj, "type", JSON.textNode("Opaque"));
      case "CustomResourceDefinition" -> crd(k, obj);
      default -> {
        // nothing to default
      }
    }
  }

  private static void namespace(ObjectNode obj) {
    ObjectNode meta = (ObjectNode) obj.get("metadata");
    objectAt(meta, "labels").put("kubernetes.io/metadata.name", meta.path("name").asText());
    ObjectNode spec = objectAt(obj, "spec");
    if (!spec.has("finalizers") && !meta.has("deletionTimestamp")) {
      spec.putArray("finalizers").add("kubernetes");
    }
    objectAt(obj, "status").put("phase", meta.has("deletionTimestamp") ? "Terminating" : "Active");
  }

  private static void deployment(ObjectNode obj) {
    ObjectNode spec = objectAt(obj, "spec");
    putIfAbsent(spec, "replicas", JSON.numberNode(1));
    putIfAbsent(spec, "revisionHistoryLimit", JSON.numberNode(10));
    putIfAbsent(spec, "progressDeadlineSeconds", JSON.numberNode(600));
    ObjectNode strategy = objectAt(spec, "strategy");
    putIfAbsent(strategy, "type", JSON.textNode("RollingUpdate"));
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      ObjectNode rolling = objectAt(strategy, "rollingUpdate");
      putIfAbsent(rolling, "maxUnavailable", JSON.textNode("25%"));
      putIfAbsent(rolling, "maxSurge", JSON.textNode("25%"));
    }
    podSpec(objectAt(objectAt(spec, "template"), "spec"));
  }

  private void service(ObjectNode obj) {
    ObjectNode spec = objectAt(obj, "spec");
    putIfAbsent(spec, "type", JSON.textNode("ClusterIP"));
    putIfAbsent(spec, "sessionAffinity", JSON.textNode("None"));
    if (!spec.has("clusterIP")) {
      String ip = "10.0.0." + (10 + (store.nextIp() % 240));
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
    }
    putIfAbsent(spec, "ipFamilies", JSON.arrayNode().add("IPv4"));
    putIfAbsent(spec, "ipFamilyPolicy", JSON.textNode("SingleStack"));
    putIfAbsent(spec, "internalTrafficPolicy", JSON.textNode("Cluster"));
    for (JsonNode port : spec.path("ports")) {
      if (port instanceof ObjectNode p) {
        putIfAbsent(p, "protocol", JSON.textNode("TCP"));
        if (!p.has("targetPort") && p.has("port")) {
          p.set("targetPort", p.get("port").deepCopy());
        }
      }
    }
    putIfAbsent(objectAt(obj, "status"), "loadBalancer", JSON.objectNode());
  }

  private static void crd(KubeKind k, ObjectNode obj) {
    ObjectNode spec = objectAt(obj, "spec");
    ObjectNode names = objectAt(spec, "names");
    if (names.has("kind")) {
      putIfAbsent(names, "listKind", JSON.textNode(names.get("kind").asText() + "List"));
      putIfAbsent(
          names, "singular", JSON.textNode(names.get("kind").asText().toLowerCase(Locale.ROOT)));
    }
    if (k.version().equals("v1")) {
      putIfAbsent(objectAt(spec, "conversion"), "strategy", JSON.textNode("None"));
    }
  }

  /** Fills in what the server defaults in a pod spec (also a pod template's). */
  static void podSpec(ObjectNode spec) {
    putIfAbsent(spec, "restartPolicy", JSON.textNode("Always"));
    putIfAbsent(spec, "terminationGracePeriodSeconds", JSON.numberNode(30));
    putIfAbsent(spec, "dnsPolicy", JSON.textNode("ClusterFirst"));
    putIfAbsent(spec, "securityContext", JSON.objectNode());
    putIfAbsent(spec, "schedulerName", JSON.textNode("default-scheduler"));
    if (spec.has("serviceAccountName")) {
      putIfAbsent(spec, "serviceAccount", spec.get("serviceAccountName").deepCopy());
    }
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          container(container);
        }
      }
    }
  }

  private static void container(ObjectNode container) {
    putIfAbsent(container, "terminationMessagePath", JSON.textNode("/dev/termination-log"));
    putIfAbsent(container, "terminationMessagePolicy", JSON.textNode("File"));
    String image = container.path("image").asText("");
    String tag = image.contains("@") ? "" : image.substring(image.lastIndexOf('/') + 1);
    boolean latest = !image.contains("@") && (!tag.contains(":") || tag.endsWith(":latest"));
    putIfAbsent(container, "imagePullPolicy", JSON.textNode(latest ? "Always" : "IfNotPresent"));
    putIfAbsent(container, "resources", JSON.objectNode());
    for (JsonNode port : container.path("ports")) {
      if (port instanceof ObjectNode p) {
        putIfAbsent(p, "protocol", JSON.textNode("TCP"));
      }
    }
  }
}
