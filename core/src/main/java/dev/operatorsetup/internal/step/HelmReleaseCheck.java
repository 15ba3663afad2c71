package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.check.Checkup;
import dev.operatorsetup.model.KubeObject;
import java.util.List;

/**
 * The {@code helm-release} finding of verify and doctor: a Helm release of the target's name (its
 * release records in the install namespace) means the controller is Helm's, which install and plan
 * refuse until the caller takes it over. Reported here so that doctor, which reads an installation
 * made by anyone, says so too.
 */
final class HelmReleaseCheck {
  static final String NAME = "helm-release";

  private HelmReleaseCheck() {}

  static void check(Checkup checkup) {
    Run run = checkup.run();
    if (checkup.kubernetes().isEmpty() || run.settings().target().release().isEmpty()) {
      return;
    }
    List<KubeObject> records = HelmRelease.records(run, checkup.kubernetes().get());
    String release =
        run.settings().serviceAccount().namespace() + "/" + run.settings().target().release().get();
    if (records.isEmpty()) {
      checkup.pass(NAME, "no Helm release " + release + " (no release records)");
      return;
    }
    checkup.fail(
        NAME,
        "the controller is installed by Helm: release "
            + release
            + " (records "
            + records.stream().map(KubeObject::name).toList()
            + ")",
        "install with --take-over-helm-release / .takeOverHelmRelease() (operator-setup applies"
            + " its objects with its own field manager and label and deletes Helm's release"
            + " records), or remove it with helm uninstall");
  }
}
