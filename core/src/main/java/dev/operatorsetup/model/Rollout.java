package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The one rule for "has this Deployment rolled out", as {@code kubectl rollout status} decides it.
 * The engine, the checker, both Kubernetes adapters and the in-memory fake use it, so they cannot
 * disagree.
 */
public final class Rollout {
  private Rollout() {}

  /**
   * Returns why the Deployment has not rolled out, in {@code kubectl rollout status}'s words, or
   * empty when it has: its controller observed the current generation, every wanted replica runs
   * the current template, no old replica is left, and every updated replica is available.
   */
  public static Optional<String> pending(JsonNode deployment) {
    JsonNode status = deployment.path("status");
    long generation = deployment.path("metadata").path("generation").asLong(0);
    long observed = status.path("observedGeneration").asLong(0);
    long want = deployment.path("spec").path("replicas").asLong(1);
    long updated = status.path("updatedReplicas").asLong(0);
    long total = status.path("replicas").asLong(0);
    long available = status.path("availableReplicas").asLong(0);
    if (observed < generation) {
      return Optional.of("waiting for the deployment spec update to be observed");
    }
    if (updated < want) {
      return Optional.of(updated + " out of " + want + " new replicas have been updated");
    }
    if (total > updated) {
      return Optional.of((total - updated) + " old replicas are pending termination");
    }
    if (available < updated) {
      return Optional.of(available + " of " + updated + " updated replicas are available");
    }
    return Optional.empty();
  }

  /** Returns whether the Deployment has rolled out (see {@link #pending(JsonNode)}). */
  public static boolean done(KubeObject deployment) {
    return pending(deployment.json()).isEmpty();
  }
}
