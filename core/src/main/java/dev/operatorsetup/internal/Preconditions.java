package dev.operatorsetup.internal;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.internal.step.OidcProviderStep;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.model.TrustPolicy;
import java.util.Optional;

/**
 * What install and plan read and check before the first write: the policies exist, the OIDC
 * provider (if any) accepts IRSA tokens, and the role (if any) may be used. A failure here leaves
 * nothing changed.
 */
final class Preconditions {
  private Preconditions() {}

  static void check(Run run, Scope scope) {
    checkPolicies(run, scope.facts());
    FoundCluster cluster = scope.cluster();
    Optional<OidcProvider> provider =
        run.call(
            "iam:GetOpenIDConnectProvider",
            () -> run.aws().oidcProviders().find(cluster.providerArn()));
    scope.provider(provider);
    if (provider.isPresent() && !provider.get().clientIds().contains(TrustPolicy.AUDIENCE)) {
      throw new ResourceConflictException(
          "The IAM OIDC provider "
              + cluster.providerArn()
              + " does not list the client id "
              + TrustPolicy.AUDIENCE
              + ", so IRSA tokens will be refused. Fix: "
              + OidcProviderStep.addClientIdFix(cluster.providerArn())
              + ". operator-setup does not change a provider it did not create.");
    }
    String name = run.settings().role().name();
    Optional<Role> role = run.call("iam:GetRole", () -> run.aws().roles().find(name));
    checkRoleIsUsable(run, scope, role);
    scope.knowRole(role);
  }

  private static void checkPolicies(Run run, Facts facts) {
    for (Arn policy : facts.policies()) {
      if (policy.partition() != facts.partition()) {
        throw new InvalidConfigurationException(
            "policy ARN",
            policy.toString(),
            "it is in partition "
                + policy.partition().id()
                + " but the cluster is in "
                + facts.partition().id(),
            "use arn:" + facts.partition().id() + ":iam::...");
      }
      var found = run.call("iam:GetPolicy", () -> run.aws().policies().find(policy));
      if (found.isEmpty() || !found.get().attachable()) {
        throw new ResourceNotFoundException(
            "Policy "
                + policy
                + " does not exist or is not attachable. Fix: check the ARN (aws iam get-policy"
                + " --policy-arn "
                + policy
                + ") or name another with --policy-arn / .withPolicy(...).");
      }
    }
  }

  private static void checkRoleIsUsable(Run run, Scope scope, Optional<Role> role) {
    Settings s = run.settings();
    if (role.isPresent() && !role.get().path().equals(s.role().path())) {
      // Role names are unique in an account whatever the path, and IAM cannot move a role to
      // another path: annotating the role ARN would name a role that does not exist.
      throw new ResourceConflictException(
          "IAM role '"
              + s.role().name()
              + "' exists as "
              + role.get().arn()
              + " (path "
              + role.get().path()
              + "), not as "
              + scope.facts().roleArn()
              + " (path "
              + s.role().path()
              + "), and IAM cannot move a role to another path. Fix: use the role's own path"
              + " with .withRolePath(\""
              + role.get().path()
              + "\"), or pick another name with .withRole(...) / --role.");
    }
    if (role.isEmpty() || Tags.isOurs(role.get().tags()) || s.adoptExistingRole()) {
      return;
    }
    // Adopting adds our statement to the role's trust; it never drops another's.
    TrustMerge merge = new TrustMerge(scope.cluster(), s.serviceAccount());
    if (merge.merge(role.get().trustPolicy()).outcome() != TrustMerge.Outcome.UNCHANGED) {
      throw new ResourceConflictException(
          "IAM role '"
              + s.role().name()
              + "' exists, was not created by operator-setup, and trusts something else than "
              + s.serviceAccount().subject()
              + " on "
              + scope.cluster().issuer().hostAndPath()
              + ". Fix: pick another name with .withRole(...) / --role, or let operator-setup"
              + " add its trust statement with .adoptExistingRole() / --adopt-role (the other"
              + " statements are kept).");
    }
  }
}
