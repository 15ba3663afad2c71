package dev.operatorsetup.internal.step;

import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.internal.FoundCluster;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.TrustMerge;
import dev.operatorsetup.internal.check.Checkup;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.model.TrustPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The cluster's IAM OIDC provider, which IRSA tokens are checked against. */
public final class OidcProviderStep implements Step {
  @Override
  public boolean aws() {
    return true;
  }

  @Override
  public void converge(Run run, Scope scope) {
    FoundCluster cluster = scope.cluster();
    String resource = "iam:" + cluster.providerArn().resource();
    if (scope.provider().isPresent()) {
      run.record(Change.of(resource, ChangeAction.UNCHANGED, "exists"));
      return;
    }
    Change change =
        Change.of(
            resource,
            ChangeAction.CREATE,
            "client id " + TrustPolicy.AUDIENCE + ", thumbprint " + run.settings().thumbprint());
    run.change(
        change,
        () ->
            run.step(
                "oidc-provider",
                "associate the IAM OIDC provider with " + cluster.issuer().url(),
                () -> create(run, cluster)));
  }

  private static Void create(Run run, FoundCluster cluster) {
    List<String> thumbprints = thumbprints(run, cluster);
    try {
      run.call(
          "iam:CreateOpenIDConnectProvider",
          () ->
              run.aws()
                  .oidcProviders()
                  .create(
                      cluster.issuer().url(),
                      List.of(TrustPolicy.AUDIENCE),
                      thumbprints,
                      Tags.ownership(run.settings().cluster())));
    } catch (ResourceConflictException e) {
      // Another run created it between our read and our write: that is the state we want.
    }
    return null;
  }

  private static List<String> thumbprints(Run run, FoundCluster cluster) {
    String thumbprint = run.settings().thumbprint();
    return switch (thumbprint) {
      case "none" -> List.of();
      case "auto" ->
          List.of(run.call("tls:thumbprint", () -> run.aws().thumbprints().of(cluster.issuer())));
      default -> List.of(thumbprint.toLowerCase(Locale.ROOT));
    };
  }

  @Override
  public void uninstall(Run run, Scope scope) {
    if (scope.foundCluster().isEmpty()) {
      return;
    }
    Arn arn = scope.cluster().providerArn();
    String resource = "iam:" + arn.resource();
    Optional<OidcProvider> provider =
        run.call("iam:GetOpenIDConnectProvider", () -> run.aws().oidcProviders().find(arn));
    if (provider.isEmpty()) {
      run.record(Change.of(resource, ChangeAction.UNCHANGED, "absent"));
    } else if (!Tags.isOurs(provider.get().tags())) {
      run.record(
          Change.of(resource, ChangeAction.UNCHANGED, "kept: not created by operator-setup"));
    } else {
      deleteUnlessTrusted(run, arn, resource);
    }
  }

  /**
   * Deletes a provider operator-setup created unless a role still trusts it. The role step ran
   * before (uninstall walks in reverse), so our own statement is gone by now: any role that still
   * names the provider in a Federated principal is another's (or keeps ours on purpose).
   */
  private static void deleteUnlessTrusted(Run run, Arn arn, String resource) {
    Map<String, TrustPolicy> all;
    try {
      all = run.call("iam:ListRoles", () -> run.aws().roles().trustPolicies());
    } catch (UnsupportedOperationException e) {
      run.record(
          Change.of(
              resource,
              ChangeAction.UNCHANGED,
              "kept: the roles cannot be listed to tell whether another trusts it"));
      return;
    }
    List<String> trusting = new ArrayList<>();
    all.forEach(
        (role, trust) -> {
          if (trust.statements().stream().anyMatch(st -> TrustMerge.trusts(st, arn))) {
            trusting.add(role);
          }
        });
    if (!trusting.isEmpty()) {
      run.record(
          Change.of(
              resource,
              ChangeAction.UNCHANGED,
              "kept: still trusted by role " + String.join(", role ", trusting)));
    } else {
      run.change(
          Change.of(resource, ChangeAction.DELETE, "created by operator-setup"),
          () ->
              run.call(
                  "iam:DeleteOpenIDConnectProvider", () -> run.aws().oidcProviders().delete(arn)));
    }
  }

  @Override
  public void check(Checkup checkup) {
    FoundCluster cluster = checkup.cluster();
    Arn arn = cluster.providerArn();
    Run run = checkup.run();
    Optional<OidcProvider> provider =
        run.call("iam:GetOpenIDConnectProvider", () -> run.aws().oidcProviders().find(arn));
    String issuer = cluster.issuer().url();
    if (provider.isEmpty()) {
      checkup.fail(
          "oidc-provider",
          "no IAM OIDC provider for "
              + issuer
              + " ("
              + arn
              + "): tokens are refused with 'No OpenIDConnect provider found'",
          "run install, or aws iam create-open-id-connect-provider --url "
              + issuer
              + " --client-id-list "
              + TrustPolicy.AUDIENCE);
    } else if (!provider.get().clientIds().contains(TrustPolicy.AUDIENCE)) {
      checkup.fail(
          "oidc-provider",
          arn
              + " lists client ids "
              + provider.get().clientIds()
              + " but not "
              + TrustPolicy.AUDIENCE
              + " ('Incorrect token audience')",
          addClientIdFix(arn));
    } else if (!provider
        .get()
        .url()
        .replaceFirst("^https://", "")
        .equals(cluster.issuer().hostAndPath())) {
      checkup.fail(
          "oidc-provider",
          arn + " has URL " + provider.get().url() + ", the cluster's issuer is " + issuer,
          "delete the provider and run install");
    } else {
      checkup.pass("oidc-provider", arn + " with client id " + TrustPolicy.AUDIENCE);
    }
  }

  /** The fix for a provider that lacks the client id sts.amazonaws.com. */
  public static String addClientIdFix(Arn arn) {
    return "aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn "
        + arn
        + " --client-id "
        + TrustPolicy.AUDIENCE
        + " (or, if nothing else uses the provider, aws iam"
        + " delete-open-id-connect-provider --open-id-connect-provider-arn "
        + arn
        + " and run install, which creates it with "
        + TrustPolicy.AUDIENCE
        + ")";
  }
}
