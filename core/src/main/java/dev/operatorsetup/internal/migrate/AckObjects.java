package dev.operatorsetup.internal.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.SageMakerKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the ACK object that adopts one SageMaker resource: same namespace, the adoption
 * annotations naming the resource, and the spec filled from SageMaker's Describe output through the
 * ACK CRD's own schema (the CRDs are generated from the SageMaker API model, so a Describe member
 * and a spec field have the same name up to case: {@code RoleArn} is {@code roleARN}).
 */
public final class AckObjects {
  public static final String GROUP = "sagemaker.services.k8s.aws";
  public static final String ADOPTION_POLICY = "services.k8s.aws/adoption-policy";
  public static final String ADOPTION_FIELDS = "services.k8s.aws/adoption-fields";
  public static final String MIGRATED_FROM = "operator-setup/migrated-from";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, KubeObject> crds;

  /**
   * @param crds the ACK chart's CRDs by name
   */
  public AckObjects(Map<String, KubeObject> crds) {
    this.crds = crds;
  }

  /** The ACK kind that adopts a SageMaker kind, e.g. {@code HyperParameterTuningJob}. */
  public static String ackKind(SageMakerKind kind) {
    return switch (kind) {
      case TRAINING_JOB -> "TrainingJob";
      case HYPER_PARAMETER_TUNING_JOB -> "HyperParameterTuningJob";
      case TRANSFORM_JOB -> "TransformJob";
      case PROCESSING_JOB -> "ProcessingJob";
      case MODEL -> "Model";
      case ENDPOINT_CONFIG -> "EndpointConfig";
      case ENDPOINT -> "Endpoint";
    };
  }

  /** The ACK CRD's name, e.g. {@code trainingjobs.sagemaker.services.k8s.aws}. */
  public static String crdName(SageMakerKind kind) {
    return ackKind(kind).toLowerCase(java.util.Locale.ROOT) + "s." + GROUP;
  }

  /** The chart's CRD for the kind, if the chart has one. */
  public Optional<KubeObject> crd(SageMakerKind kind) {
    return Optional.ofNullable(crds.get(crdName(kind)));
  }

  /** The CRD's storage version (else its first). */
  private static JsonNode storageVersion(KubeObject crd) {
    JsonNode versions = crd.json().path("spec").path("versions");
    for (JsonNode v : versions) {
      if (v.path("storage").asBoolean(false)) {
        return v;
      }
    }
    return versions.path(0);
  }

  /** The apiVersion the CRD stores, e.g. {@code sagemaker.services.k8s.aws/v1alpha1}. */
  static String apiVersion(KubeObject crd) {
    return GROUP + "/" + storageVersion(crd).path("name").asText();
  }

  private static JsonNode specSchema(KubeObject crd) {
    return storageVersion(crd)
        .path("schema")
        .path("openAPIV3Schema")
        .path("properties")
        .path("spec");
  }

  /** The spec field that names the resource, e.g. {@code trainingJobName}: the adoption field. */
  static String nameField(KubeObject crd, SageMakerKind kind) {
    Iterator<String> names = specSchema(crd).path("properties").fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (n.equalsIgnoreCase(kind.nameMember())) {
        return n;
      }
    }
    return Character.toLowerCase(kind.nameMember().charAt(0)) + kind.nameMember().substring(1);
  }

  /** The adoption-fields annotation's value, e.g. {@code {"trainingJobName":"job-1"}}. */
  public static String adoptionFields(String field, String sageMakerName) {
    ObjectNode o = NODES.objectNode();
    o.put(field, sageMakerName);
    return o.toString();
  }

  /**
   * The ACK object for a SageMaker resource as Describe returned it.
   *
   * @param from what it replaces, e.g. {@code TrainingJob ns/name}, kept as an annotation
   */
  public KubeObject build(
      KubeObject crd,
      SageMakerKind kind,
      String namespace,
      String name,
      String sageMakerName,
      Map<String, Object> described,
      String from) {
    ObjectNode spec = (ObjectNode) fill(specSchema(crd), MAPPER.valueToTree(described));
    if (spec == null) {
      spec = NODES.objectNode();
    }
    String field = nameField(crd, kind);
    spec.put(field, sageMakerName);
    ObjectNode o = NODES.objectNode();
    o.put("apiVersion", apiVersion(crd));
    o.put("kind", ackKind(kind));
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    ObjectNode ann = meta.putObject("annotations");
    ann.put(ADOPTION_POLICY, "adopt");
    ann.put(ADOPTION_FIELDS, adoptionFields(field, sageMakerName));
    ann.put(MIGRATED_FROM, from);
    o.set("spec", spec);
    return KubeObject.of(o);
  }

  /** The spec's required fields the object lacks, by the CRD's schema (top level). */
  public static List<String> missingRequired(KubeObject crd, KubeObject object) {
    List<String> missing = new ArrayList<>();
    JsonNode spec = object.json().path("spec");
    for (JsonNode r : specSchema(crd).path("required")) {
      JsonNode v = spec.path(r.asText());
      if (v.isMissingNode() || v.isNull()) {
        missing.add(r.asText());
      }
    }
    return missing;
  }

  /** The value shaped by the schema: fields matched by name up to case, unknown ones dropped. */
  static JsonNode fill(JsonNode schema, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        && !schema.has("properties")) {
      return value.deepCopy();
    }
    String type = schema.path("type").asText("");
    return switch (type) {
      case "object" -> object(schema, value);
      case "array" -> array(schema, value);
      case "string" -> value.isValueNode() ? NODES.textNode(value.asText()) : null;
      case "integer" -> value.isNumber() ? NODES.numberNode(value.asLong()) : integer(value);
      case "number" -> value.isNumber() ? NODES.numberNode(value.asDouble()) : null;
      case "boolean" -> value.isBoolean() ? value : null;
      default -> value.deepCopy();
    };
  }

  private static JsonNode integer(JsonNode value) {
    if (value.isTextual()) {
      try {
        return NODES.numberNode(Long.parseLong(value.asText()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static JsonNode object(JsonNode schema, JsonNode value) {
    if (!value.isObject()) {
      return null;
    }
    ObjectNode out = NODES.objectNode();
    JsonNode props = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String target = matching(props, f.getKey());
      JsonNode filled = null;
      if (target != null) {
        filled = fill(props.path(target), f.getValue());
      } else if (additional.isObject()) {
        target = f.getKey();
        filled = fill(additional, f.getValue());
      }
      if (filled != null) {
        out.set(target, filled);
      }
    }
    return out;
  }

  private static JsonNode array(JsonNode schema, JsonNode value) {
    if (!value.isArray()) {
      return null;
    }
    ArrayNode out = NODES.arrayNode();
    for (JsonNode item : value) {
      JsonNode filled = fill(schema.path("items"), item);
      if (filled != null) {
        out.add(filled);
      }
    }
    return out;
  }

  private static String matching(JsonNode props, String member) {
    if (props.has(member)) {
      return member;
    }
    Iterator<String> names = props.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (n.equalsIgnoreCase(member)) {
        return n;
      }
    }
    return null;
  }
}
