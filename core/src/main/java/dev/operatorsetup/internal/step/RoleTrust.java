package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.Settings;
import dev.operatorsetup.internal.TrustMerge;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.model.TrustStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The role's trust policy as install and uninstall change it: our one statement is merged in (or
 * taken out), every other statement is kept; with {@code removeStaleTrust}, statements whose IAM
 * OIDC provider no longer exists are dropped. All of it is one UpdateAssumeRolePolicy at most.
 */
final class RoleTrust {
  private RoleTrust() {}

  /** Plans (and, when the run writes, makes) the trust change for an existing role. */
  static void converge(Run run, Scope scope, Role role) {
    Settings s = run.settings();
    String resource = RoleStep.resource(s);
    TrustMerge merge = new TrustMerge(scope.cluster(), s.serviceAccount());
    TrustPolicy current = role.trustPolicy();
    List<TrustStatement> stale =
        s.removeStaleTrust() ? stale(run, scope.cluster().providerArn(), current) : List.of();
    TrustMerge.Merged merged = merge.merge(TrustMerge.without(current, stale::contains));
    int others = merge.others(merged.policy()).size();
    List<Change> changes = new ArrayList<>();
    changes.add(ourChange(resource, merge, merged.outcome(), others, Tags.isOurs(role.tags())));
    for (TrustStatement st : stale) {
      changes.add(
          Change.of(
              resource + " trust statement via " + providerNames(st),
              ChangeAction.DELETE,
              "its IAM OIDC provider no longer exists (removeStaleTrust)"));
    }
    boolean write = !merged.policy().sameAs(current);
    for (Change change : changes) {
      if (change.action() == ChangeAction.UNCHANGED) {
        run.record(change);
      } else if (write) {
        write = false;
        run.change(change, () -> updateTrust(run, merged.policy()));
      } else {
        run.change(change, () -> {}); // made by the one trust update above
      }
    }
  }

  private static Change ourChange(
      String resource, TrustMerge merge, TrustMerge.Outcome outcome, int others, boolean ours) {
    String kept = others == 0 ? "" : "; keeps " + others + " other statement(s) as they are";
    return switch (outcome) {
      case UNCHANGED ->
          Change.of(
              resource,
              ChangeAction.UNCHANGED,
              (ours
                      ? "trust policy up to date"
                      : "exists, not created by operator-setup; trust policy already right")
                  + " ("
                  + merge.describe()
                  + kept
                  + ")");
      case ADDED ->
          Change.of(
              resource,
              ChangeAction.UPDATE,
              "trust policy differs: adds the " + merge.describe() + kept);
      case REPAIRED ->
          Change.of(
              resource,
              ChangeAction.UPDATE,
              "trust policy differs: repairs the "
                  + merge.describe()
                  + " (its conditions or actions drifted)"
                  + kept);
    };
  }

  /** Merges our statement into a role another run created between our read and our write. */
  static void mergeInto(Run run, Scope scope, Role role) {
    TrustMerge merge = new TrustMerge(scope.cluster(), run.settings().serviceAccount());
    TrustMerge.Merged merged = merge.merge(role.trustPolicy());
    if (merged.outcome() != TrustMerge.Outcome.UNCHANGED) {
      updateTrust(run, merged.policy());
    }
  }

  static void updateTrust(Run run, TrustPolicy trust) {
    String name = run.settings().role().name();
    run.run("iam:UpdateAssumeRolePolicy", () -> run.aws().roles().updateTrust(name, trust));
  }

  /**
   * Returns which statements of the role are ours. Without the cluster there is no provider to tell
   * ours by: then a trust of one statement for our ServiceAccount alone is ours, else none.
   */
  static Predicate<TrustStatement> ours(Run run, Scope scope, Role role) {
    if (scope.foundCluster().isPresent()) {
      return new TrustMerge(scope.cluster(), run.settings().serviceAccount())::isOurs;
    }
    String subject = run.settings().serviceAccount().subject();
    List<TrustStatement> all = role.trustPolicy().statements();
    boolean onlyOurs =
        all.size() == 1
            && all.get(0).conditions().values().stream()
                .flatMap(keys -> keys.entrySet().stream())
                .filter(e -> e.getKey().endsWith(":sub"))
                .allMatch(e -> e.getValue().equals(List.of(subject)));
    return st -> onlyOurs;
  }

  /** Returns the statements other than ours. */
  static List<TrustStatement> others(Run run, Scope scope, Role role) {
    return role.trustPolicy().statements().stream()
        .filter(Predicate.not(ours(run, scope, role)))
        .toList();
  }

  /**
   * Returns the statements that name IAM OIDC providers, none of which exists any more (our own
   * provider counts as existing: install creates it).
   */
  static List<TrustStatement> stale(Run run, Arn ourProvider, TrustPolicy trust) {
    Map<Arn, Boolean> exists = new HashMap<>();
    exists.put(ourProvider, true);
    List<TrustStatement> out = new ArrayList<>();
    for (TrustStatement st : trust.statements()) {
      List<Arn> providers = TrustMerge.providers(st);
      if (!providers.isEmpty()
          && providers.stream().noneMatch(p -> exists.computeIfAbsent(p, a -> exists(run, a)))) {
        out.add(st);
      }
    }
    return out;
  }

  private static boolean exists(Run run, Arn provider) {
    Optional<?> found =
        run.call("iam:GetOpenIDConnectProvider", () -> run.aws().oidcProviders().find(provider));
    return found.isPresent();
  }

  /** Names a statement's providers for the report. */
  static String providerNames(TrustStatement st) {
    List<String> names = TrustMerge.providers(st).stream().map(Arn::toString).toList();
    return names.size() == 1 ? names.get(0) : names.toString();
  }
}
