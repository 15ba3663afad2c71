package dev.operatorsetup.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Rollout;
import dev.operatorsetup.port.Kubernetes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waits: a CRD Established, a Deployment rolled out, an object deleted. They poll with a
 * bounded, growing pause until done or the timeout; a check that fails with a retryable error
 * counts as "not yet". These are waits for the cluster, not retries of a failed call.
 */
final class Waits {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.KUBERNETES);
  private static final String CRD_API_VERSION = "apiextensions.k8s.io/v1";
  private static final long MAX_POLL_MS = 2000;

  /**
   * The first pause of a wait. Short, because a CRD is Established and a one-replica Deployment on
   * a healthy cluster rolls out within a few hundred milliseconds; the pause grows by half each
   * time up to {@link #MAX_POLL_MS}, so a long wait still polls every 2 seconds.
   */
  private static final long FIRST_POLL_MS = 25;

  private final Kubernetes k8s;

  Waits(Kubernetes k8s) {
    this.k8s = k8s;
  }

  void awaitDeleted(ObjectRef ref, Duration timeout) {
    poll(ref.display() + " to be deleted", timeout, () -> deletionPending(ref), null);
  }

  private String deletionPending(ObjectRef ref) {
    Optional<KubeObject> live = k8s.get(ref);
    if (live.isEmpty()) {
      return null;
    }
    KubeObject o = live.get();
    if (!o.at("/metadata/deletionTimestamp").isTextual()) {
      return "it still exists and is not being deleted";
    }
    StringBuilder b =
        new StringBuilder("deletion started at ")
            .append(o.at("/metadata/deletionTimestamp").asText())
            .append(", finalizers ")
            .append(o.at("/metadata/finalizers"));
    for (JsonNode c : o.at("/status/conditions")) {
      if ("True".equals(c.path("status").asText()) && c.has("message")) {
        b.append("; ")
            .append(c.path("type").asText())
            .append(": ")
            .append(c.path("message").asText());
      }
    }
    return b.toString();
  }

  void awaitCrdEstablished(String crdName, Duration timeout) {
    ObjectRef ref = ObjectRef.of(CRD_API_VERSION, "CustomResourceDefinition", null, crdName);
    poll(
        "CustomResourceDefinition " + crdName + " to become Established",
        timeout,
        () -> {
          Optional<KubeObject> crd = k8s.get(ref);
          if (crd.isEmpty()) {
            return "it does not exist";
          }
          if ("True".equals(conditionStatus(crd.get(), "Established"))) {
            return null;
          }
          return "conditions " + crd.get().at("/status/conditions");
        },
        null);
  }

  void awaitRollout(String namespace, String name, Duration timeout) {
    ObjectRef ref = ObjectRef.of("apps/v1", "Deployment", namespace, name);
    poll(
        "Deployment " + namespace + "/" + name + " to roll out",
        timeout,
        () -> rolloutPending(ref),
        last -> last + podProblems(namespace, ref));
  }

  /**
   * Why the Deployment has not rolled out ({@link Rollout#pending}), with its failure conditions.
   */
  private String rolloutPending(ObjectRef ref) {
    Optional<KubeObject> d = k8s.get(ref);
    if (d.isEmpty()) {
      return "it does not exist";
    }
    Optional<String> pending = Rollout.pending(d.get().json());
    if (pending.isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder(pending.get());
    for (JsonNode c : d.get().at("/status/conditions")) {
      // ReplicaFailure: the ReplicaSet cannot create pods (quota, admission, limits)
      if ("ProgressDeadlineExceeded".equals(c.path("reason").asText())
          || ("ReplicaFailure".equals(c.path("type").asText())
              && "True".equals(c.path("status").asText()))) {
        b.append("; ").append(c.path("message").asText());
      }
    }
    return b.toString();
  }

  private String podProblems(String namespace, ObjectRef deployment) {
    Optional<KubeObject> d = k8s.get(deployment);
    if (d.isEmpty()) {
      return "";
    }
    Map<String, String> selector = new LinkedHashMap<>();
    d.get()
        .at("/spec/selector/matchLabels")
        .properties()
        .forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
    List<String> problems = new ArrayList<>();
    for (KubeObject pod : k8s.listPods(namespace, selector)) {
      for (JsonNode cs : pod.at("/status/containerStatuses")) {
        JsonNode waiting = cs.path("state").path("waiting");
        if (waiting.isObject()) {
          problems.add(
              "pod "
                  + pod.name()
                  + " container "
                  + cs.path("name").asText()
                  + " waiting: "
                  + waiting.path("reason").asText()
                  + (waiting.has("message") ? " (" + waiting.path("message").asText() + ")" : ""));
        }
      }
      for (JsonNode c : pod.at("/status/conditions")) {
        if ("PodScheduled".equals(c.path("type").asText())
            && "False".equals(c.path("status").asText())) {
          problems.add("pod " + pod.name() + " unschedulable: " + c.path("message").asText());
        }
      }
    }
    return problems.isEmpty() ? "" : "; " + String.join("; ", problems);
  }

  private static String conditionStatus(KubeObject object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText();
      }
    }
    return null;
  }

  /**
   * Polls until {@code pending} returns null, or the timeout; {@code onTimeout} may add to the last
   * reason (e.g. the pods' problems).
   */
  private static void poll(
      String waitingFor,
      Duration timeout,
      Supplier<String> pending,
      UnaryOperator<String> onTimeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long delay = FIRST_POLL_MS;
    String last = "not checked yet";
    while (true) {
      String p = check(waitingFor, pending);
      if (p == null) {
        LOG.debug("kubernetes wait=\"{}\" done", waitingFor);
        return;
      }
      last = p;
      long leftMs = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMs <= 0) {
        throw new WaitTimeoutException(waitingFor, timeout, detail(last, onTimeout));
      }
      sleep(Math.min(delay, leftMs), waitingFor);
      delay = Math.min(delay * 3 / 2, MAX_POLL_MS);
    }
  }

  /** One check: null when done, else why not (a retryable failure of the check included). */
  private static String check(String waitingFor, Supplier<String> pending) {
    if (interrupted()) {
      throw new OperatorSetupException(
          "Interrupted while waiting for " + waitingFor, new InterruptedException());
    }
    try {
      return pending.get();
    } catch (OperatorSetupException e) {
      if (interrupted()) {
        throw new OperatorSetupException("Interrupted while waiting for " + waitingFor, e);
      }
      if (!e.retryable()) {
        throw e;
      }
      return "last check failed: " + e.getMessage();
    }
  }

  private static String detail(String last, UnaryOperator<String> onTimeout) {
    if (onTimeout == null) {
      return last;
    }
    try {
      return onTimeout.apply(last);
    } catch (OperatorSetupException e) {
      return last; // keep what we saw last
    }
  }

  static boolean interrupted() {
    return Thread.currentThread().isInterrupted();
  }

  static void sleep(long millis, String what) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorSetupException("Interrupted while waiting for " + what, e);
    }
  }
}
