package dev.operatorsetup;

/** Signals that something the installation needs (a cluster, a policy) does not exist. */
public class ResourceNotFoundException extends OperatorSetupException {
  private static final long serialVersionUID = 1L;

  public ResourceNotFoundException(String message) {
    super(message);
  }

  public ResourceNotFoundException(String message, Throwable cause) {
    super(message, cause, false);
  }

  /**
   * Returns the error for an object whose kind the API server does not serve, worded as the
   * server's "no matches for kind" and with the fix (for v1beta1 CRDs: convert them to v1).
   */
  public static ResourceNotFoundException noMatchesForKind(dev.operatorsetup.model.ObjectRef ref) {
    String base =
        "Cannot apply "
            + ref.display()
            + ": no matches for kind \""
            + ref.kind()
            + "\" in version \""
            + ref.apiVersion()
            + "\"";
    if (ref.kind().equals("CustomResourceDefinition")) {
      return new ResourceNotFoundException(
          base
              + " (the API server does not serve "
              + ref.apiVersion()
              + "; apiextensions.k8s.io/v1beta1 was removed in Kubernetes 1.22). Fix: convert the"
              + " CustomResourceDefinition to apiextensions.k8s.io/v1.");
    }
    return new ResourceNotFoundException(
        base
            + ". Fix: apply the CustomResourceDefinition that defines "
            + ref.kind()
            + " first and wait until it is Established.");
  }
}
