package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.check.Checkup;

/**
 * One part of an installation that owns its resources: it plans and makes them ({@link #converge}),
 * removes what operator-setup made of them ({@link #uninstall}), and checks them ({@link #check}).
 * Every step reads before it writes, so a re-run after a failure anywhere finishes the job and a
 * re-run after success writes nothing.
 */
public interface Step {
  /** Plans this step's changes and, when the run writes, makes them. */
  void converge(Run run, Scope scope);

  /** Removes what operator-setup made of this step's resources, keeping what it did not make. */
  void uninstall(Run run, Scope scope);

  /** Adds this step's findings. */
  void check(Checkup checkup);

  /** Whether the step works on AWS (IAM) rather than on the cluster. */
  default boolean aws() {
    return false;
  }
}
