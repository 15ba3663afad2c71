package dev.operatorsetup.internal;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.TrustPolicy;
import java.util.Objects;

/**
 * An EKS cluster that exists and has an OIDC issuer, with what follows from it: the ARN its IAM
 * OIDC provider has, and the trust policy the role needs. None of these can be absent.
 */
public record FoundCluster(
    ClusterInfo info, OidcIssuer issuer, Arn providerArn, TrustPolicy trust) {
  public FoundCluster {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(providerArn, "providerArn");
    Objects.requireNonNull(trust, "trust");
  }
}
