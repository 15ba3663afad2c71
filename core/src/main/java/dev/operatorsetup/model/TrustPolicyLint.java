package dev.operatorsetup.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks an IRSA trust policy against what the cluster needs: the Federated principal is the
 * cluster's OIDC provider, the audience is {@code sts.amazonaws.com}, and the subject is exactly
 * the operator's ServiceAccount (no {@code StringLike} or wildcards unless allowed).
 */
public final class TrustPolicyLint {
  private TrustPolicyLint() {}

  /** Returns the problems found, each naming what is wrong and the fix; empty if none. */
  public static List<String> problems(
      TrustPolicy policy,
      Arn providerArn,
      OidcIssuer issuer,
      ServiceAccountRef serviceAccount,
      boolean allowWildcardSubject) {
    List<String> problems = new ArrayList<>();
    String prefix = issuer.hostAndPath();
    List<TrustStatement> web =
        policy.statements().stream()
            .filter(s -> s.effect().equals("Allow"))
            .filter(
                s ->
                    s.actions().contains(TrustPolicy.ASSUME_ROLE_WITH_WEB_IDENTITY)
                        || s.actions().contains("sts:*"))
            .toList();
    if (web.isEmpty()) {
      problems.add(
          "the trust policy has no Allow statement for sts:AssumeRoleWithWebIdentity; fix: run"
              + " install (it writes the right trust policy)");
      return problems;
    }
    boolean principalOk = false;
    for (TrustStatement s : web) {
      List<String> federated = s.principal().getOrDefault("Federated", List.of());
      if (federated.contains(providerArn.toString())) {
        principalOk = true;
        checkConditions(s, prefix, serviceAccount, allowWildcardSubject, problems);
      } else if (!federated.isEmpty()) {
        problems.add(
            "the Federated principal is "
                + federated
                + ", not the cluster's provider "
                + providerArn
                + " (was the cluster re-created with a new OIDC id?); fix: run install to update"
                + " the trust policy");
      }
    }
    if (!principalOk && problems.isEmpty()) {
      problems.add(
          "no statement trusts the cluster's provider " + providerArn + "; fix: run install");
    }
    return problems;
  }

  /** IAM's StringLike: {@code *} matches any run of characters, {@code ?} any one character. */
  static boolean globMatches(String pattern, String value) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else {
        regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL)
        .matcher(value)
        .matches();
  }

  private static void checkAudience(List<String> aud, String prefix, List<String> problems) {
    if (aud == null) {
      problems.add(
          "the trust policy does not require "
              + prefix
              + ":aud = "
              + TrustPolicy.AUDIENCE
              + "; fix: run install");
    } else if (!aud.equals(List.of(TrustPolicy.AUDIENCE))) {
      problems.add(
          "the audience is "
              + aud
              + " but IRSA tokens carry "
              + TrustPolicy.AUDIENCE
              + " in every partition, also in China; fix: run install");
    }
  }

  private static void checkConditions(
      TrustStatement s,
      String prefix,
      ServiceAccountRef serviceAccount,
      boolean allowWildcardSubject,
      List<String> problems) {
    Map<String, List<String>> equals = s.conditions().getOrDefault("StringEquals", Map.of());
    Map<String, List<String>> like = s.conditions().getOrDefault("StringLike", Map.of());
    for (Map<String, List<String>> op : List.of(equals, like)) {
      for (String key : op.keySet()) {
        if (key.startsWith("arn:")) {
          problems.add(
              "the condition key "
                  + key
                  + " starts with an ARN; it must be '"
                  + prefix
                  + ":sub' (the issuer without https://); fix: run install");
        }
      }
    }
    checkAudience(equals.get(prefix + ":aud"), prefix, problems);
    List<String> sub = equals.get(prefix + ":sub");
    List<String> subLike = like.get(prefix + ":sub");
    if (subLike != null) {
      if (!allowWildcardSubject) {
        problems.add(
            "the subject is matched with StringLike "
                + subLike
                + ", which lets other service accounts assume the role; fix: run install"
                + " (StringEquals on "
                + serviceAccount.subject()
                + ")");
      } else if (subLike.stream().noneMatch(p -> globMatches(p, serviceAccount.subject()))) {
        problems.add(
            "the subject pattern "
                + subLike
                + " does not match "
                + serviceAccount.subject()
                + ", so the operator cannot assume the role; fix: run install (or pass the"
                + " right --namespace/--service-account)");
      }
    } else if (sub == null) {
      problems.add(
          "the trust policy does not restrict "
              + prefix
              + ":sub, so any service account of the cluster can assume the role; fix: run"
              + " install");
    } else if (sub.stream().anyMatch(v -> v.contains("*") || v.contains("?"))
        && !allowWildcardSubject) {
      problems.add("the subject " + sub + " contains a wildcard; fix: run install");
    } else if (!sub.contains(serviceAccount.subject())) {
      problems.add(
          "the subject is "
              + sub
              + " but the operator runs as "
              + serviceAccount.subject()
              + "; fix: run install (or pass the right --namespace/--service-account)");
    }
  }
}
