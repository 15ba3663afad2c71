package dev.operatorsetup.internal.check;

import dev.operatorsetup.internal.Facts;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.Settings;
import dev.operatorsetup.internal.step.Step;
import dev.operatorsetup.model.Check;
import java.util.List;

/**
 * The one checker behind {@code verify} and {@code diagnose}: one set of check names and rules,
 * each step checking its own resources, each failed finding naming its fix. {@code verify} is
 * {@code diagnose} with the caller's settings.
 */
public final class Checker {
  private Checker() {}

  /** The finding about the cluster itself: it exists and has an OIDC issuer. */
  public static List<Check> clusterFindings(Facts facts, Settings s) {
    if (facts.described().isEmpty()) {
      return List.of(
          Check.failed(
              "cluster",
              "EKS cluster " + s.cluster().name() + " not found in " + s.cluster().region(),
              "check --cluster and --region"));
    }
    if (facts.cluster().isEmpty()) {
      return List.of(
          Check.failed(
              "cluster",
              "the cluster reports no OIDC issuer",
              "use a cluster of Kubernetes 1.13 or later"));
    }
    return List.of(Check.passed("cluster", "issuer " + facts.cluster().get().issuer().url()));
  }

  /** Asks every step for its findings, in order. */
  public static List<Check> findings(Run run, Scope scope, List<Step> steps) {
    Checkup checkup = new Checkup(run, scope);
    for (Step step : steps) {
      step.check(checkup);
    }
    return checkup.findings();
  }
}
