package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.check.Checkup;

/**
 * The custom resources of the target's CRDs. Install makes none. Uninstall deletes them before
 * anything else on the cluster (their finalizers would hang the deletion of the CRDs) when the
 * target says so (legacy); otherwise ({@link RetainedResources}) it refuses while any exists,
 * unless the caller asks to retain their AWS resources.
 */
public final class CustomResourceStep implements Step {
  @Override
  public void converge(Run run, Scope scope) {}

  @Override
  public void uninstall(Run run, Scope scope) {
    if (scope.kubernetes().isEmpty()) {
      return;
    }
    if (run.settings().target().deletesCustomResources()) {
      ObjectRemoval.customResources(run, scope.kubernetes().get(), scope.desired());
    } else {
      RetainedResources.uninstall(run, scope.kubernetes().get(), scope.desired());
    }
  }

  @Override
  public void check(Checkup checkup) {}
}
