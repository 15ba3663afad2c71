package dev.operatorsetup.internal;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.model.AccountIdentity;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.TrustPolicy;
import java.util.List;
import java.util.Optional;

/**
 * What an operation reads before anything else: the account, the partition, the role's ARN, the
 * policies to attach, and the cluster if it exists and has an issuer.
 *
 * @param described the cluster as EKS described it, if it exists
 * @param cluster the cluster with its issuer, if it exists and has one
 */
public record Facts(
    AccountIdentity identity,
    Partition partition,
    Arn roleArn,
    List<Arn> policies,
    Optional<ClusterInfo> described,
    Optional<FoundCluster> cluster) {

  public String account() {
    return identity.account();
  }

  /** Returns the cluster, or throws naming why there is none and the fix. */
  public FoundCluster requireCluster(Settings s) {
    if (cluster.isPresent()) {
      return cluster.get();
    }
    if (described.isEmpty()) {
      throw new ResourceNotFoundException(
          "EKS cluster '"
              + s.cluster().name()
              + "' not found in region "
              + s.cluster().region()
              + ". Fix: check the name and the region (aws eks list-clusters --region "
              + s.cluster().region()
              + ").");
    }
    throw new ResourceNotFoundException(
        "EKS cluster '"
            + described.get().name()
            + "' reports no OIDC issuer (identity.oidc.issuer), so IRSA cannot work. Fix: use a"
            + " cluster of Kubernetes 1.13 or later; if the AWS CLI shows None, upgrade it.");
  }

  /** Reads the caller's account and the cluster. */
  static Facts read(Run run) {
    Settings s = run.settings();
    AccountIdentity identity =
        run.call("sts:GetCallerIdentity", () -> run.aws().callerIdentity().get());
    Optional<ClusterInfo> described =
        run.call("eks:DescribeCluster", () -> run.aws().clusters().describe(s.cluster().name()));
    Partition partition = s.cluster().partition();
    described.ifPresent(info -> checkPartition(s, info, partition));
    Arn roleArn = s.role().arn(partition, identity.account());
    List<Arn> policies =
        s.role().managedPolicyArns().isEmpty()
            ? s.target().defaultPolicies(partition)
            : s.role().managedPolicyArns();
    Optional<FoundCluster> found =
        described
            .filter(info -> info.issuer().isPresent() && !info.issuer().get().isBlank())
            .map(info -> found(s, info, partition, identity.account()));
    return new Facts(identity, partition, roleArn, policies, described, found);
  }

  private static FoundCluster found(
      Settings s, ClusterInfo info, Partition partition, String account) {
    OidcIssuer issuer = OidcIssuer.parse(info.issuer().get());
    TrustPolicy trust =
        TrustPolicy.forServiceAccount(issuer, partition, account, s.serviceAccount());
    return new FoundCluster(info, issuer, issuer.providerArn(partition, account), trust);
  }

  private static void checkPartition(Settings s, ClusterInfo info, Partition partition) {
    if (info.arn().partition() != partition) {
      throw new InvalidConfigurationException(
          "region",
          s.cluster().region(),
          "the cluster's ARN "
              + info.arn()
              + " is in partition "
              + info.arn().partition().id()
              + ", the region in "
              + partition.id(),
          "pass the cluster's own region");
    }
  }
}
