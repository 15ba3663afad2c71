package dev.operatorsetup.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the facts about a controller's pods that installs and checks both need. */
public final class Pods {
  private Pods() {}

  /** The ServiceAccount the Deployment's pods run as. */
  public static String serviceAccountName(KubeObject deployment) {
    String name = deployment.at("/spec/template/spec/serviceAccountName").asText("");
    if (name.isEmpty()) {
      name = deployment.at("/spec/template/spec/serviceAccount").asText("");
    }
    return name.isEmpty() ? "default" : name;
  }

  /**
   * Returns the names of the pods, not being deleted, that started (else were created) before the
   * instant. Both times have second resolution, so a pod of the same second counts as after.
   */
  public static List<String> startedBefore(List<KubeObject> pods, Instant instant) {
    List<String> stale = new ArrayList<>();
    for (KubeObject pod : pods) {
      if (terminating(pod)) {
        continue;
      }
      Optional<Instant> started = instant(pod.at("/status/startTime").asText(""));
      if (started.isEmpty()) {
        started = instant(pod.at("/metadata/creationTimestamp").asText(""));
      }
      if (started.isPresent() && started.get().isBefore(instant)) {
        stale.add(pod.name());
      }
    }
    return stale;
  }

  /** Returns whether the pod is being deleted. */
  public static boolean terminating(KubeObject pod) {
    JsonNode deletion = pod.at("/metadata/deletionTimestamp");
    return !deletion.isMissingNode() && !deletion.isNull();
  }

  /** The Deployment's {@code matchLabels}. */
  public static Map<String, String> selector(KubeObject deployment) {
    Map<String, String> selector = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it =
            deployment.at("/spec/selector/matchLabels").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      selector.put(e.getKey(), e.getValue().asText());
    }
    return selector;
  }

  /** Returns when the role annotation was last written, from the object's managedFields. */
  public static Optional<Instant> annotationTime(KubeObject sa) {
    Instant latest = null;
    for (JsonNode entry : sa.at("/metadata/managedFields")) {
      JsonNode field =
          entry
              .path("fieldsV1")
              .path("f:metadata")
              .path("f:annotations")
              .path("f:" + ManifestPatch.ROLE_ARN_ANNOTATION);
      if (field.isMissingNode()) {
        continue;
      }
      Optional<Instant> t = instant(entry.path("time").asText(""));
      if (t.isPresent() && (latest == null || t.get().isAfter(latest))) {
        latest = t.get();
      }
    }
    return Optional.ofNullable(latest);
  }

  private static Optional<Instant> instant(String text) {
    try {
      return text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
