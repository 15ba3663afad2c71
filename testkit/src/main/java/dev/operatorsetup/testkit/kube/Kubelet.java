package dev.operatorsetup.testkit.kube;

import static dev.operatorsetup.testkit.kube.KubeJson.JSON;
import static dev.operatorsetup.testkit.kube.KubeJson.condition;
import static dev.operatorsetup.testkit.kube.KubeJson.matches;
import static dev.operatorsetup.testkit.kube.KubeJson.putIfAbsent;
import static dev.operatorsetup.testkit.kube.KubeJson.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The pods of ReplicaSets, as the ReplicaSet controller, the scheduler and a kwok node make them:
 * scheduled on the one node unless the nodeSelector matches none of its labels, running and ready
 * unless a container's image was marked unpullable (then waiting in ImagePullBackOff).
 */
final class Kubelet {
  private static final String NODE_NAME = "kwok-node-0";
  private static final Map<String, String> NODE_LABELS =
      Map.of(
          "kubernetes.io/hostname", NODE_NAME,
          "kubernetes.io/os", "linux",
          "kubernetes.io/arch", "amd64",
          "beta.kubernetes.io/os", "linux",
          "beta.kubernetes.io/arch", "amd64",
          "kubernetes.io/role", "agent",
          "node-role.kubernetes.io/agent", "",
          "type", "kwok");
  private static final String UNSCHEDULABLE =
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."
          + " preemption: 0/1 nodes are available: 1 Preemption is not helpful for"
          + " scheduling.";

  private final ObjectStore store;
  private final Set<String> unpullable = new HashSet<>();
  private final Random random = new Random();
  private final Map<String, Long> readyAt = new LinkedHashMap<>(); // pod uid -> System.nanoTime
  private long readyDelayNanos;

  Kubelet(ObjectStore store) {
    this.store = store;
  }

  void markUnpullable(String image) {
    unpullable.add(Objects.requireNonNull(image, "image"));
  }

  /** Makes containers of pods created from now on become ready {@code delay} after they start. */
  void readyDelay(Duration delay) {
    readyDelayNanos = delay.toNanos();
  }

  /** Makes ready the pods whose delay has passed; returns whether any changed. */
  boolean tick() {
    boolean changed = false;
    long now = System.nanoTime();
    for (Stored pod : store.all()) {
      Long due = pod.is("", "Pod") ? readyAt.get(pod.uid()) : null;
      if (due != null && now - due >= 0) {
        readyAt.remove(pod.uid());
        setReady(pod, true);
        changed = true;
      }
    }
    return changed;
  }

  /** Nanoseconds until the next pod becomes ready, or {@link Long#MAX_VALUE} if none waits. */
  long nanosToNextReady() {
    long now = System.nanoTime();
    return readyAt.values().stream()
        .mapToLong(d -> Math.max(1, d - now))
        .min()
        .orElse(Long.MAX_VALUE);
  }

  private void setReady(Stored pod, boolean ready) {
    ObjectNode status = (ObjectNode) pod.obj.get("status");
    for (JsonNode cs : status.path("containerStatuses")) {
      ((ObjectNode) cs).put("ready", ready);
    }
    for (JsonNode c : status.path("conditions")) {
      String type = c.path("type").asText();
      if (type.equals("Ready") || type.equals("ContainersReady")) {
        ObjectNode cond = (ObjectNode) c;
        cond.put("status", ready ? "True" : "False")
            .put("lastTransitionTime", KubeJson.timestamp());
        if (ready) {
          cond.remove("reason");
          cond.remove("message");
        } else {
          cond.put("reason", "ContainersNotReady")
              .put("message", "containers with unready status: starting (readiness delay)");
        }
      }
    }
    store.bumpResourceVersion(pod.obj);
  }

  static boolean ready(Stored pod) {
    JsonNode ready = condition(pod.obj, "Ready");
    return ready != null && "True".equals(ready.path("status").asText()) && !pod.deleting();
  }

  /** The pods a ReplicaSet owns, oldest first. */
  List<Stored> podsOf(Stored rs) {
    return store.all().stream()
        .filter(s -> s.is("", "Pod") && rs.namespace().equals(s.namespace()))
        .filter(s -> s.ownedBy(rs.uid()))
        .sorted(
            Comparator.comparing((Stored s) -> s.meta().path("creationTimestamp").asText())
                .thenComparing(Stored::name))
        .toList();
  }

  /** Makes and stores a new pod of {@code rs}. */
  Stored createPod(Stored rs) {
    ObjectNode template = (ObjectNode) rs.obj.path("spec").path("template");
    ObjectNode obj = store.create("v1", "Pod", podName(rs), rs.namespace(), true);
    ObjectNode meta = (ObjectNode) obj.get("metadata");
    String now = meta.path("creationTimestamp").asText();
    meta.set("labels", template.path("metadata").path("labels").deepCopy());
    if (template.path("metadata").has("annotations")) {
      meta.set("annotations", template.path("metadata").path("annotations").deepCopy());
    }
    meta.putArray("ownerReferences")
        .add(DeploymentController.ownerReference(rs, "apps/v1", "ReplicaSet"));
    ObjectNode spec = template.path("spec").deepCopy();
    Defaults.podSpec(spec);
    putIfAbsent(spec, "serviceAccountName", JSON.textNode("default"));
    putIfAbsent(spec, "serviceAccount", JSON.textNode("default"));
    boolean schedulable = matches(NODE_LABELS, stringMap(spec.path("nodeSelector")));
    if (schedulable) {
      spec.put("nodeName", NODE_NAME);
    }
    obj.set("spec", spec);
    ObjectNode status = obj.putObject("status");
    if (schedulable) {
      running(status, spec, now);
    } else {
      status.put("phase", "Pending");
      status
          .putArray("conditions")
          .add(condition("PodScheduled", "False", "Unschedulable", UNSCHEDULABLE, now));
      status.put("qosClass", "BestEffort");
    }
    Stored pod = new Stored("", "Pod", obj);
    store.add(pod);
    if (readyDelayNanos > 0 && ready(pod)) {
      setReady(pod, false);
      readyAt.put(pod.uid(), System.nanoTime() + readyDelayNanos);
    }
    return pod;
  }

  private String podName(Stored rs) {
    String name;
    do {
      StringBuilder b = new StringBuilder(rs.name()).append('-');
      for (int i = 0; i < 5; i++) {
        b.append(KubeJson.SAFE_CHARS.charAt(random.nextInt(KubeJson.SAFE_CHARS.length())));
      }
      name = b.toString();
    } while (store.exists("", "Pod", rs.namespace(), name));
    return name;
  }

  /** The status of a scheduled pod: running, ready unless an image cannot be pulled. */
  private void running(ObjectNode status, JsonNode spec, String now) {
    List<String> unready = new ArrayList<>();
    ArrayNode statuses = JSON.arrayNode();
    for (JsonNode c : spec.path("containers")) {
      statuses.add(containerStatus(c, unready, now));
    }
    boolean ready = unready.isEmpty();
    status.put("phase", ready ? "Running" : "Pending");
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition("Initialized", "True", null, null, now));
    String message = "containers with unready status: " + unready;
    for (String type : List.of("Ready", "ContainersReady")) {
      conditions.add(
          condition(
              type,
              ready ? "True" : "False",
              ready ? null : "ContainersNotReady",
              ready ? null : message,
              now));
    }
    conditions.add(condition("PodScheduled", "True", null, null, now));
    status.put("hostIP", "10.0.0.1");
    String ip = "10.244.0." + (store.nextIp() % 250 + 2);
    status.put("podIP", ip);
    status.putArray("podIPs").addObject().put("ip", ip);
    status.put("startTime", now);
    status.set("containerStatuses", statuses);
    status.put("qosClass", "BestEffort");
  }

  private ObjectNode containerStatus(JsonNode c, List<String> unready, String now) {
    String image = c.path("image").asText();
    ObjectNode cs = JSON.objectNode().put("name", c.path("name").asText()).put("image", image);
    cs.put("imageID", "");
    if (unpullable.contains(image)) {
      unready.add(c.path("name").asText());
      cs.put("ready", false).put("restartCount", 0).put("started", false);
      cs.putObject("state")
          .putObject("waiting")
          .put("reason", "ImagePullBackOff")
          .put("message", "Back-off pulling image \"" + image + "\"");
    } else {
      cs.put("containerID", "kwok://" + UUID.randomUUID());
      cs.put("ready", true).put("restartCount", 0).put("started", true);
      cs.putObject("state").putObject("running").put("startedAt", now);
    }
    return cs;
  }

  /** What the pods of {@code replicaSets} are stuck on, as {@code "; pod x ..."}, or "". */
  String problems(List<Stored> replicaSets) {
    List<String> problems = new ArrayList<>();
    for (Stored rs : replicaSets) {
      for (Stored pod : podsOf(rs)) {
        problems.addAll(problemsOf(pod));
      }
    }
    return problems.isEmpty() ? "" : "; " + String.join("; ", problems);
  }

  private static List<String> problemsOf(Stored pod) {
    List<String> problems = new ArrayList<>();
    for (JsonNode cs : pod.obj.path("status").path("containerStatuses")) {
      JsonNode waiting = cs.path("state").path("waiting");
      if (waiting.isObject()) {
        problems.add(
            String.format(
                "pod %s container %s waiting: %s (%s)",
                pod.name(),
                cs.path("name").asText(),
                waiting.path("reason").asText(),
                waiting.path("message").asText()));
      }
    }
    JsonNode scheduled = condition(pod.obj, "PodScheduled");
    if (scheduled != null && "False".equals(scheduled.path("status").asText())) {
      problems.add("pod " + pod.name() + " unschedulable: " + scheduled.path("message").asText());
    }
    return problems;
  }
}
