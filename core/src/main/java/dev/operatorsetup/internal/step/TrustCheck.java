package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.TrustMerge;
import dev.operatorsetup.internal.check.Checkup;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.model.TrustPolicyLint;
import dev.operatorsetup.model.TrustStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The role's trust as verify and doctor check it, statement by statement: one statement must let
 * the operator's ServiceAccount in through the cluster's provider (statements of other
 * ServiceAccounts and clusters are not problems), and no statement may name an IAM OIDC provider
 * that no longer exists.
 */
final class TrustCheck {
  static final String STALE_FIX =
      "run install with --remove-stale-trust (.removeStaleTrust()), or remove the statement";

  private TrustCheck() {}

  /** The problems found, each ending with its fix, and the fix for them all. */
  record Found(List<String> problems, String fix) {}

  static Found problems(Checkup checkup, TrustPolicy trust, ServiceAccountRef used) {
    Arn provider = checkup.cluster().providerArn();
    List<TrustStatement> viaOurs =
        trust.statements().stream().filter(st -> TrustMerge.trusts(st, provider)).toList();
    List<String> problems = new ArrayList<>();
    if (viaOurs.isEmpty()) {
      // Lint them all: it names a stale principal (a re-created cluster) for what it is.
      problems.addAll(lint(checkup, trust, used));
    } else if (viaOurs.stream().noneMatch(st -> lint(checkup, only(st), used).isEmpty())) {
      List<TrustStatement> forUs =
          viaOurs.stream().filter(st -> mentions(st, used.subject())).toList();
      problems.addAll(
          lint(
              checkup,
              new TrustPolicy.Builder().statements(forUs.isEmpty() ? viaOurs : forUs).build(),
              used));
    }
    boolean fine = problems.isEmpty();
    for (TrustStatement st : RoleTrust.stale(checkup.run(), provider, trust)) {
      problems.add(
          "a statement trusts "
              + RoleTrust.providerNames(st)
              + ", an IAM OIDC provider that no longer exists (of a deleted cluster?); fix: "
              + STALE_FIX);
    }
    return new Found(problems, fine ? STALE_FIX : "run install");
  }

  private static List<String> lint(Checkup checkup, TrustPolicy trust, ServiceAccountRef used) {
    return TrustPolicyLint.problems(
        trust, checkup.cluster().providerArn(), checkup.cluster().issuer(), used, false);
  }

  private static TrustPolicy only(TrustStatement st) {
    return new TrustPolicy.Builder().addStatement(st).build();
  }

  /** Whether a statement's {@code :sub} values name the subject or hold a wildcard. */
  private static boolean mentions(TrustStatement st, String subject) {
    return st.conditions().values().stream()
        .flatMap(keys -> keys.entrySet().stream())
        .filter(e -> e.getKey().endsWith(":sub"))
        .flatMap(e -> e.getValue().stream())
        .anyMatch(v -> v.equals(subject) || v.contains("*") || v.contains("?"));
  }
}
