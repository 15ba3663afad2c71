package dev.operatorsetup.targets;

/**
 * How the controller gets its AWS identity, chosen apart from the {@link OperatorTarget}. Today
 * only IAM roles for service accounts (IRSA): an IAM OIDC provider for the cluster's issuer, a role
 * whose trust names the ServiceAccount, and the role annotation on it. EKS Pod Identity comes next.
 */
public sealed interface IdentityMode permits IdentityMode.Irsa {
  /** IAM roles for service accounts. */
  static IdentityMode irsa() {
    return Irsa.INSTANCE;
  }

  /** IAM roles for service accounts: OIDC provider, role trust, ServiceAccount annotation. */
  final class Irsa implements IdentityMode {
    static final Irsa INSTANCE = new Irsa();

    private Irsa() {}

    @Override
    public String toString() {
      return "irsa";
    }
  }
}
