package dev.operatorsetup.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ServiceAccountRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an installer manifest into the objects to apply: the role ARN on the operator's
 * ServiceAccount, the target namespace, image overrides, and optionally v1 CRDs.
 */
public final class ManifestRenderer {
  /**
   * The pod template annotation that carries the role ARN, so that changing the role rolls the
   * operator's pods (the EKS webhook reads the ServiceAccount only when a pod starts).
   */
  public static final String POD_ROLE_ARN_ANNOTATION = "operator-setup/role-arn";

  private static final Logger LOG = LoggerFactory.getLogger(Loggers.MANIFEST);
  private static final Set<String> TEMPLATE_WORKLOADS =
      Set.of(
          "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job");
  private static final List<String> CONTAINER_LISTS =
      List.of("containers", "initContainers", "ephemeralContainers");
  private static final List<Set<String>> APPLY_ORDER =
      List.of(
          Set.of("Namespace"),
          Set.of("CustomResourceDefinition"),
          Set.of("ServiceAccount"),
          Set.of("Role", "ClusterRole"),
          Set.of("RoleBinding", "ClusterRoleBinding"),
          Set.of("ConfigMap", "Secret"),
          Set.of("Service"),
          Set.of("Deployment"));

  private ManifestRenderer() {}

  /**
   * Returns the manifest's objects, in file order, changed as follows.
   *
   * <ul>
   *   <li>{@code status} and {@code metadata.creationTimestamp} are dropped from every object;
   *   <li>if the manifest contains {@code PLACEHOLDER-NAMESPACE} (the namespaced installers), every
   *       string value has it replaced by {@code patch.namespace()}; otherwise, if {@code
   *       patch.namespace()} differs from the installer's namespace (its Namespace object's name,
   *       else {@code sagemaker-k8s-operator-system}), the Namespace object, every {@code
   *       metadata.namespace} and every RBAC binding subject in that namespace move to it;
   *   <li>the ServiceAccount {@code patch.serviceAccount()} gets the annotation {@code
   *       eks.amazonaws.com/role-arn} with the role ARN; it must be in the manifest exactly once;
   *   <li>every container and init container image of every workload that equals a key of {@code
   *       patch.effectiveImageOverrides()} is replaced by its value;
   *   <li>every Deployment's pod template gets the annotation {@value #POD_ROLE_ARN_ANNOTATION};
   *   <li>if {@code convertCrdsToV1}, v1beta1 CRDs become v1 ({@link CrdConversion#toV1}).
   * </ul>
   *
   * @throws InvalidConfigurationException naming the manifest if the ServiceAccount is missing or
   *     defined twice
   */
  public static List<KubeObject> render(
      Manifest manifest, ManifestPatch patch, boolean convertCrdsToV1) {
    List<ObjectNode> nodes = new ArrayList<>();
    for (KubeObject object : manifest.objects()) {
      ObjectNode node = object.json();
      node.remove("status");
      ((ObjectNode) node.get("metadata")).remove("creationTimestamp");
      nodes.add(node);
    }
    String namespace = patch.namespace();
    int placeholders = 0;
    for (ObjectNode node : nodes) {
      placeholders += replaceInStrings(node, ManifestPatch.PLACEHOLDER_NAMESPACE, namespace);
    }
    if (placeholders == 0) {
      moveNamespace(nodes, installerNamespace(nodes), namespace);
    }
    annotateServiceAccount(manifest.origin(), nodes, patch);
    Map<String, String> overrides = patch.effectiveImageOverrides();
    String roleArn = patch.roleArn().toString();
    int images = 0;
    for (ObjectNode node : nodes) {
      for (ObjectNode podSpec : podSpecs(node)) {
        images += overrideImages(podSpec, overrides);
      }
      if ("Deployment".equals(node.path("kind").asText())) {
        ObjectNode template = objectAt(objectAt(node, "spec"), "template");
        objectAt(objectAt(template, "metadata"), "annotations")
            .put(POD_ROLE_ARN_ANNOTATION, roleArn);
      }
    }
    List<KubeObject> out = new ArrayList<>();
    int converted = 0;
    for (ObjectNode node : nodes) {
      KubeObject object = KubeObject.of(node);
      if (convertCrdsToV1 && CrdConversion.isV1beta1Crd(object)) {
        object = CrdConversion.toV1(object);
        converted++;
      }
      out.add(object);
    }
    LOG.debug(
        "manifest rendered origin={} objects={} namespace={} placeholders={} images={}"
            + " crdsConverted={}",
        manifest.origin(),
        out.size(),
        namespace,
        placeholders,
        images,
        converted);
    return out;
  }

  /**
   * Returns the objects in the order to apply them: Namespace, CustomResourceDefinition,
   * ServiceAccount, Role and ClusterRole, RoleBinding and ClusterRoleBinding, ConfigMap and Secret,
   * Service, Deployment, then everything else; objects of the same rank keep their order.
   */
  public static List<KubeObject> applyOrder(List<KubeObject> objects) {
    List<KubeObject> sorted = new ArrayList<>(objects);
    sorted.sort(Comparator.comparingInt(ManifestRenderer::rank));
    return sorted;
  }

  /** Returns the objects in the order to delete them: {@link #applyOrder} reversed. */
  public static List<KubeObject> deleteOrder(List<KubeObject> objects) {
    List<KubeObject> sorted = applyOrder(objects);
    Collections.reverse(sorted);
    return sorted;
  }

  private static int rank(KubeObject object) {
    for (int i = 0; i < APPLY_ORDER.size(); i++) {
      if (APPLY_ORDER.get(i).contains(object.kind())) {
        return i;
      }
    }
    return APPLY_ORDER.size();
  }

  /** Replaces {@code from} by {@code to} in every string value below {@code node}. */
  private static int replaceInStrings(JsonNode node, String from, String to) {
    int count = 0;
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isTextual() && field.getValue().asText().contains(from)) {
          field.setValue(TextNode.valueOf(field.getValue().asText().replace(from, to)));
          count++;
        } else {
          count += replaceInStrings(field.getValue(), from, to);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode element = array.get(i);
        if (element.isTextual() && element.asText().contains(from)) {
          array.set(i, TextNode.valueOf(element.asText().replace(from, to)));
          count++;
        } else {
          count += replaceInStrings(element, from, to);
        }
      }
    }
    return count;
  }

  private static String installerNamespace(List<ObjectNode> nodes) {
    List<String> names =
        nodes.stream()
            .filter(n -> "Namespace".equals(n.path("kind").asText()))
            .map(n -> n.path("metadata").path("name").asText())
            .toList();
    return names.size() == 1 ? names.get(0) : ServiceAccountRef.DEFAULT_NAMESPACE;
  }

  private static void moveNamespace(List<ObjectNode> nodes, String from, String to) {
    if (from.equals(to)) {
      return;
    }
    for (ObjectNode node : nodes) {
      ObjectNode metadata = (ObjectNode) node.get("metadata");
      String kind = node.path("kind").asText();
      if (kind.equals("Namespace") && from.equals(metadata.path("name").asText())) {
        metadata.put("name", to);
      }
      if (from.equals(metadata.path("namespace").asText())) {
        metadata.put("namespace", to);
      }
      if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
        for (JsonNode subject : node.path("subjects")) {
          if (subject instanceof ObjectNode s && from.equals(s.path("namespace").asText())) {
            s.put("namespace", to);
          }
        }
      }
    }
    LOG.debug("manifest namespace moved from={} to={}", from, to);
  }

  private static void annotateServiceAccount(
      String origin, List<ObjectNode> nodes, ManifestPatch patch) {
    ServiceAccountRef wanted = patch.serviceAccount();
    List<ObjectNode> accounts =
        nodes.stream().filter(n -> "ServiceAccount".equals(n.path("kind").asText())).toList();
    List<ObjectNode> matches =
        accounts.stream()
            .filter(n -> wanted.name().equals(n.path("metadata").path("name").asText()))
            .filter(n -> wanted.namespace().equals(n.path("metadata").path("namespace").asText()))
            .toList();
    String shown = wanted.namespace() + "/" + wanted.name();
    if (matches.isEmpty()) {
      String present =
          accounts.isEmpty()
              ? "none"
              : accounts.stream()
                  .map(
                      n ->
                          n.path("metadata").path("namespace").asText("(no namespace)")
                              + "/"
                              + n.path("metadata").path("name").asText())
                  .collect(Collectors.joining(", "));
      throw new InvalidConfigurationException(
          "service account",
          shown,
          "manifest '"
              + origin
              + "' has no ServiceAccount "
              + shown
              + " to annotate with the role ARN (its ServiceAccounts: "
              + present
              + ")",
          "pick the operator's ServiceAccount with --service-account (ServiceAccountRef.of(namespace,"
              + " name)), usually "
              + ServiceAccountRef.DEFAULT_NAME
              + ", or use a manifest that defines "
              + shown);
    }
    if (matches.size() > 1) {
      throw new InvalidConfigurationException(
          "service account",
          shown,
          "manifest '"
              + origin
              + "' defines the ServiceAccount "
              + shown
              + " "
              + matches.size()
              + " times; exactly one must carry the role ARN",
          "remove the duplicate ServiceAccount documents from the manifest");
    }
    ObjectNode metadata = (ObjectNode) matches.get(0).get("metadata");
    objectAt(metadata, "annotations")
        .put(ManifestPatch.ROLE_ARN_ANNOTATION, patch.roleArn().toString());
  }

  private static List<ObjectNode> podSpecs(ObjectNode node) {
    String kind = node.path("kind").asText();
    JsonNode spec;
    if (kind.equals("Pod")) {
      spec = node.path("spec");
    } else if (kind.equals("CronJob")) {
      spec = node.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
    } else if (kind.equals("PodTemplate")) {
      spec = node.path("template").path("spec");
    } else if (TEMPLATE_WORKLOADS.contains(kind)) {
      spec = node.path("spec").path("template").path("spec");
    } else {
      return List.of();
    }
    return spec instanceof ObjectNode object ? List.of(object) : List.of();
  }

  private static int overrideImages(ObjectNode podSpec, Map<String, String> overrides) {
    int count = 0;
    for (String list : CONTAINER_LISTS) {
      for (JsonNode container : podSpec.path(list)) {
        String image = container.path("image").asText(null);
        if (container instanceof ObjectNode c && image != null && overrides.containsKey(image)) {
          c.put("image", overrides.get(image));
          count++;
        }
      }
    }
    return count;
  }

  /** Returns the object at {@code field}, replacing a missing, null or non-object value. */
  private static ObjectNode objectAt(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    if (child instanceof ObjectNode object) {
      return object;
    }
    return parent.putObject(field);
  }
}
