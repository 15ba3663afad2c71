package dev.operatorsetup.internal;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.model.TrustStatement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one trust statement operator-setup manages in a role's trust policy: the one whose only
 * Federated principal is the cluster's OIDC provider and whose only {@code :sub} value is the
 * operator's ServiceAccount. It is added, repaired or taken out; every other statement is left as
 * it was, so one role can serve several clusters and ServiceAccounts.
 */
public final class TrustMerge {
  /** What merging does to our statement. */
  public enum Outcome {
    UNCHANGED,
    ADDED,
    REPAIRED
  }

  /** The merged policy and what happened to our statement. */
  public record Merged(TrustPolicy policy, Outcome outcome) {}

  private final Arn provider;
  private final String subKey;
  private final String subject;
  private final TrustStatement wanted;

  public TrustMerge(FoundCluster cluster, ServiceAccountRef serviceAccount) {
    this.provider = cluster.providerArn();
    this.subKey = cluster.issuer().hostAndPath() + ":sub";
    this.subject = serviceAccount.subject();
    this.wanted = cluster.trust().statements().get(0);
  }

  /** Says which statement this is, for the report: {@code for <subject> via <provider>}. */
  public String describe() {
    return "statement for " + subject + " via " + provider;
  }

  /** Returns whether the statement is the one operator-setup manages. */
  public boolean isOurs(TrustStatement s) {
    if (s.principal().size() != 1
        || !s.principal()
            .getOrDefault("Federated", List.of())
            .equals(List.of(provider.toString()))) {
      return false;
    }
    Set<String> subs = new LinkedHashSet<>();
    s.conditions().values().forEach(keys -> subs.addAll(keys.getOrDefault(subKey, List.of())));
    return subs.equals(Set.of(subject));
  }

  /** Adds our statement, or repairs it in place (keeping its Sid), leaving the others alone. */
  public Merged merge(TrustPolicy current) {
    List<TrustStatement> ours = current.statements().stream().filter(this::isOurs).toList();
    if (ours.size() == 1 && same(ours.get(0), wanted)) {
      return new Merged(current, Outcome.UNCHANGED);
    }
    List<TrustStatement> out = new ArrayList<>();
    boolean placed = false;
    for (TrustStatement s : current.statements()) {
      if (!isOurs(s)) {
        out.add(s);
      } else if (!placed) {
        // Repaired where it was; a duplicate of ours is dropped (one statement per pair).
        out.add(new TrustStatement.Builder().from(wanted).sid(s.sid()).build());
        placed = true;
      }
    }
    if (!placed) {
      out.add(wanted);
    }
    return new Merged(
        new TrustPolicy.Builder().version(current.version()).statements(out).build(),
        ours.isEmpty() ? Outcome.ADDED : Outcome.REPAIRED);
  }

  /** Returns the statements that are not ours. */
  public List<TrustStatement> others(TrustPolicy current) {
    return current.statements().stream().filter(Predicate.not(this::isOurs)).toList();
  }

  /** Returns whether the policy holds our statement, in any shape. */
  public boolean holdsOurs(TrustPolicy current) {
    return current.statements().stream().anyMatch(this::isOurs);
  }

  /** Returns the policy without the statements that match. */
  public static TrustPolicy without(TrustPolicy current, Predicate<TrustStatement> drop) {
    return new TrustPolicy.Builder()
        .version(current.version())
        .statements(current.statements().stream().filter(Predicate.not(drop)).toList())
        .build();
  }

  /** Returns the IAM OIDC provider ARNs a statement names as Federated principals. */
  public static List<Arn> providers(TrustStatement s) {
    List<Arn> out = new ArrayList<>();
    for (String value : s.principal().getOrDefault("Federated", List.of())) {
      parseProvider(value).ifPresent(out::add);
    }
    return out;
  }

  /** Returns whether a statement trusts this provider. */
  public static boolean trusts(TrustStatement s, Arn provider) {
    return s.principal().getOrDefault("Federated", List.of()).contains(provider.toString());
  }

  private static Optional<Arn> parseProvider(String value) {
    if (!value.startsWith("arn:") || !value.contains(":oidc-provider/")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Arn.parse("OIDC provider ARN", value));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean same(TrustStatement a, TrustStatement b) {
    TrustPolicy x = new TrustPolicy.Builder().addStatement(withoutSid(a)).build();
    TrustPolicy y = new TrustPolicy.Builder().addStatement(withoutSid(b)).build();
    return x.sameAs(y);
  }

  private static TrustStatement withoutSid(TrustStatement s) {
    return new TrustStatement.Builder().from(s).sid(Optional.empty()).build();
  }
}
