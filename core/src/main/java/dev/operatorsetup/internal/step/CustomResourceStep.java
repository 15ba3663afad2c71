package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.check.Checkup;

/**
 * The custom resources of the target's CRDs. Install makes none; uninstall deletes them before
 * anything else on the cluster, since their finalizers would hang the deletion of the CRDs.
 */
public final class CustomResourceStep implements Step {
  @Override
  public void converge(Run run, Scope scope) {}

  @Override
  public void uninstall(Run run, Scope scope) {
    if (scope.kubernetes().isPresent()) {
      ObjectRemoval.customResources(run, scope.kubernetes().get(), scope.desired());
    }
  }

  @Override
  public void check(Checkup checkup) {}
}
