package dev.operatorsetup.examples;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.InstallReport;

/** The README's example, compiled so that it cannot go stale. */
public final class QuickStart {
  private QuickStart() {}

  /** Installs the operator on {@code my-cluster} with the role {@code eks-sagemaker-operator}. */
  public static InstallReport install() {
    // README {
    InstallReport report =
        OperatorSetup.forCluster("my-cluster")
            .inRegion("us-east-1")
            .withRole("eks-sagemaker-operator")
            .install();
    // }
    return report;
  }
}
