package dev.operatorsetup.testkit;

/** The installation the tests make: the operator's README example (cluster, region, role). */
public final class Example {
  public static final String REGION = "us-east-1";
  public static final String CLUSTER = "FSxL-Persistent-Cluster";
  public static final String ROLE = "eks-fsx-cluster-role";

  /** An issuer like EKS gives the cluster: {@code .../id/<32 hex digits>}. */
  public static final String ISSUER =
      "https://oidc.eks.us-east-1.amazonaws.com/id/3A12CB18E75BD1133D141F6C7B5FB266";

  /** The legacy operator's ServiceAccount, which the role trusts and install annotates. */
  public static final dev.operatorsetup.model.ObjectRef SERVICE_ACCOUNT =
      dev.operatorsetup.model.ObjectRef.of(
          "v1",
          "ServiceAccount",
          "sagemaker-k8s-operator-system",
          "sagemaker-k8s-operator-default");

  private Example() {}
}
